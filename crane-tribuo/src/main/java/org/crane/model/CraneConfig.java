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

    /** @return a builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /**
     * @param from a configuration.
     * @return a builder starting from it.
     */
    public static Builder builder(CraneConfig from) {
        return new Builder(from);
    }

    /**
     * Named fields instead of twelve positional arguments:
     * {@code CraneConfig.builder().embeddingSize(32).recursions(1).build()}; {@link #build()} validates.
     */
    public static final class Builder {
        private int embeddingSize;
        private int recursions;
        private int tokens;
        private boolean untieRecursions;
        private boolean userProfiles;
        private int userItemLayers;
        private int itemGraphLayers;
        private float temperature;
        private float contrastiveWeight;
        private float regWeight;
        private boolean itemGraphIds;
        private Coupling coupling;

        private Builder(CraneConfig c) {
            embeddingSize = c.embeddingSize;
            recursions = c.recursions;
            tokens = c.tokens;
            untieRecursions = c.untieRecursions;
            userProfiles = c.userProfiles;
            userItemLayers = c.userItemLayers;
            itemGraphLayers = c.itemGraphLayers;
            temperature = c.temperature;
            contrastiveWeight = c.contrastiveWeight;
            regWeight = c.regWeight;
            itemGraphIds = c.itemGraphIds;
            coupling = c.coupling;
        }

        /** @param v d. @return this. */
        public Builder embeddingSize(int v) { embeddingSize = v; return this; }
        /** @param v R. @return this. */
        public Builder recursions(int v) { recursions = v; return this; }
        /** @param v T. @return this. */
        public Builder tokens(int v) { tokens = v; return this; }
        /** @param v separate attention weights per recursion. @return this. */
        public Builder untieRecursions(boolean v) { untieRecursions = v; return this; }
        /** @param v user multimodal profiles. @return this. */
        public Builder userProfiles(boolean v) { userProfiles = v; return this; }
        /** @param v L_ui. @return this. */
        public Builder userItemLayers(int v) { userItemLayers = v; return this; }
        /** @param v L_ii. @return this. */
        public Builder itemGraphLayers(int v) { itemGraphLayers = v; return this; }
        /** @param v tau. @return this. */
        public Builder temperature(float v) { temperature = v; return this; }
        /** @param v lambda_cl. @return this. */
        public Builder contrastiveWeight(float v) { contrastiveWeight = v; return this; }
        /** @param v lambda_reg. @return this. */
        public Builder regWeight(float v) { regWeight = v; return this; }
        /** @param v also propagate item ID embeddings over the item-item graph. @return this. */
        public Builder itemGraphIds(boolean v) { itemGraphIds = v; return this; }
        /** @param v the coupling of the two views. @return this. */
        public Builder coupling(Coupling v) { coupling = v; return this; }

        /** @return the validated configuration. */
        public CraneConfig build() {
            return new CraneConfig(embeddingSize, recursions, tokens, untieRecursions, userProfiles, userItemLayers, itemGraphLayers,
                    temperature, contrastiveWeight, regWeight, itemGraphIds, coupling);
        }
    }
}
