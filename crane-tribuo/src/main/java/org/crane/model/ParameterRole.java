package org.crane.model;

/**
 * What a parameter of the network is for, so that the trainer, the optimiser and the initialiser
 * choose by role rather than by matching names such as "EU" across layers.
 */
public enum ParameterRole {
    /** The user ID embeddings E_U of the behaviour view. */
    USER_EMBEDDING,
    /** The item ID embeddings E_I of the behaviour view. */
    ITEM_EMBEDDING,
    /** A modality's projection W_m, b_m. */
    PROJECTION,
    /** The cross-modal attention's weights (W_J, b_J, A_m, B_m, G_m, O_m). */
    ATTENTION,
    /** The semantic output projection's matrix W_Z. */
    SEMANTIC_OUTPUT,
    /** The semantic output projection's bias b_Z. */
    SEMANTIC_OUTPUT_BIAS;

    /** @return whether this is an ID embedding of the behaviour view. */
    public boolean idEmbedding() {
        return this == USER_EMBEDDING || this == ITEM_EMBEDDING;
    }

    /** @return whether this belongs to the semantic (multimodal) view. */
    public boolean semantic() {
        return !idEmbedding();
    }
}
