package org.crane.model;

import java.io.Serializable;

/**
 * The network's hyper-parameters (crane-method.md). Every ablation of its section 8 is one setting:
 * {@code recursions = 0} (no attention), {@code userProfiles = false}, {@code itemGraphLayers = 0}
 * (no semantic graph), {@code contrastiveWeight = 0}, and no modalities (LightGCN).
 * @param embeddingSize d.
 * @param recursions R, recursions of cross-modal attention (0 = concatenation + linear only).
 * @param tokens T, tokens per item representation; must divide d.
 * @param untieRecursions separate attention weights per recursion.
 * @param userProfiles users get the mean semantic representation of their training items.
 * @param userItemLayers L_ui, propagation layers on the user-item graph.
 * @param itemGraphLayers L_ii, propagation layers on the item-item semantic graph.
 * @param temperature tau of the contrastive loss.
 * @param contrastiveWeight lambda_cl.
 * @param regWeight lambda_reg, L2 on the batch's ego embeddings.
 * @param itemGraphIds also propagate the items' ego ID embeddings over the item-item graph and add
 *        {@code S^L_ii EI} to the item representation (how FREEDOM and the released code use the
 *        graph); off in the method.
 * @param coupling how the behaviour and semantic views share the objective.
 */
public record CraneConfig(int embeddingSize, int recursions, int tokens, boolean untieRecursions, boolean userProfiles,
                          int userItemLayers, int itemGraphLayers, float temperature, float contrastiveWeight,
                          float regWeight, boolean itemGraphIds, Coupling coupling) implements Serializable {

    /** How the behaviour view (LightGCN's {@code Ebar}) and the semantic view share the objective. */
    public enum Coupling {
        /**
         * The paper's reading: one BPR loss on the fused score and the contrastive loss train every
         * parameter, the ID embeddings included.
         */
        JOINT,
        /**
         * The behaviour view is trained by its own BPR loss alone, so it is exactly LightGCN; the BPR
         * loss of the fused score and the contrastive loss treat it as a constant and train the
         * semantic view, which so learns what behaviour does not explain. Weak or misleading
         * features then cannot pull the ID embeddings away from LightGCN's solution.
         */
        RESIDUAL,
        /**
         * As {@link #RESIDUAL} for the BPR losses, but the contrastive loss trains both views: the
         * behaviour view is LightGCN regularised towards the semantic view.
         */
        RESIDUAL_ALIGNED
    }

    /**
     * The paper's coupling ({@link Coupling#JOINT}).
     * @param embeddingSize d.
     * @param recursions R.
     * @param tokens T.
     * @param untieRecursions separate attention weights per recursion.
     * @param userProfiles user multimodal profiles.
     * @param userItemLayers L_ui.
     * @param itemGraphLayers L_ii.
     * @param temperature tau.
     * @param contrastiveWeight lambda_cl.
     * @param regWeight lambda_reg.
     * @param itemGraphIds also propagate item ID embeddings over the item-item graph.
     */
    public CraneConfig(int embeddingSize, int recursions, int tokens, boolean untieRecursions, boolean userProfiles,
                       int userItemLayers, int itemGraphLayers, float temperature, float contrastiveWeight,
                       float regWeight, boolean itemGraphIds) {
        this(embeddingSize, recursions, tokens, untieRecursions, userProfiles, userItemLayers, itemGraphLayers, temperature,
                contrastiveWeight, regWeight, itemGraphIds, Coupling.JOINT);
    }

    /** The method's defaults: d 64, R 2, T 4, shared weights, profiles on, L_ui 2, L_ii 1, tau 0.2, lambda_cl 0.01, lambda_reg 1e-4. */
    public static final CraneConfig DEFAULT = new CraneConfig(64, 2, 4, false, true, 2, 1, 0.2f, 0.01f, 1e-4f, false);

    /** Validates every field, naming the bad one. */
    public CraneConfig {
        if (embeddingSize < 1) {
            throw new IllegalArgumentException("embeddingSize must be >= 1, got " + embeddingSize);
        }
        if (recursions < 0) {
            throw new IllegalArgumentException("recursions must be >= 0, got " + recursions);
        }
        if (tokens < 1 || embeddingSize % tokens != 0) {
            throw new IllegalArgumentException("tokens must be >= 1 and divide embeddingSize " + embeddingSize + ", got " + tokens);
        }
        if (userItemLayers < 0) {
            throw new IllegalArgumentException("userItemLayers must be >= 0, got " + userItemLayers);
        }
        if (itemGraphLayers < 0) {
            throw new IllegalArgumentException("itemGraphLayers must be >= 0, got " + itemGraphLayers);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (coupling == null) {
            throw new IllegalArgumentException("coupling must be JOINT, RESIDUAL or RESIDUAL_ALIGNED, got null");
        }
        if (!(contrastiveWeight >= 0)) {
            throw new IllegalArgumentException("contrastiveWeight must be >= 0, got " + contrastiveWeight);
        }
        if (!(regWeight >= 0)) {
            throw new IllegalArgumentException("regWeight must be >= 0, got " + regWeight);
        }
    }
}
