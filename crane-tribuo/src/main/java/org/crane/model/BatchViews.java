package org.crane.model;

import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

/**
 * What the loss terms read: the batch's index inputs and the network's views of it. Nullable fields
 * are null when the network lacks that part (no modalities, no profiles).
 * @param cfg the configuration.
 * @param program the graph being built (terms may add index inputs).
 * @param users the batch's users (int64).
 * @param pos their positive items.
 * @param neg their negative items.
 * @param userIds the user ID embeddings E_U (parameters).
 * @param itemIds the item ID embeddings E_I (parameters).
 * @param behaviourUsers the behaviour view of every user, Ebar_U.
 * @param behaviourItems the behaviour view of every item, Ebar_I.
 * @param batchUsers the fused representations of the batch's users (one row per triple).
 * @param items the fused representations of every item.
 * @param contrastUsers the behaviour side of the user InfoNCE term (gradient-stopped under RESIDUAL).
 * @param contrastItems the behaviour side of the item InfoNCE term.
 * @param semanticItems the semantic view of every item, H_I, or null.
 * @param semanticUsers the semantic view of every user (profiles), or null.
 * @param batchProfiles the profiles of the batch's distinct users only, or null.
 * @param profileUsers the int64 input listing those users, or null.
 * @param residual whether the behaviour view also trains on its own BPR loss.
 */
public record BatchViews(CraneConfig cfg, Program program, Tensor users, Tensor pos, Tensor neg, Tensor userIds, Tensor itemIds,
                         Tensor behaviourUsers, Tensor behaviourItems, Tensor batchUsers, Tensor items, Tensor contrastUsers,
                         Tensor contrastItems, Tensor semanticItems, Tensor semanticUsers, Tensor batchProfiles, Tensor profileUsers,
                         boolean residual) {
}
