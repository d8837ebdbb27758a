package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.crane.ItemId;
import org.crane.data.FeatureMatrix;
import org.crane.data.ItemFeatureSource;
import org.crane.engine.Adam;
import org.crane.engine.EngineConfig;
import org.crane.engine.ExecutionProvider;
import org.crane.model.CraneConfig;
import org.crane.train.CraneModel;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Trains CRANE: {@code new CraneTrainer.Builder()...build().train(dataset)} or from OLCUT XML.
 * Every hyper-parameter is a {@code @Config} field with the defaults of crane-method.md, recorded in
 * the model's provenance. Training runs one ONNX Runtime call per minibatch (forward, loss and every
 * gradient), Adam in Java, degree-sensitive edge pruning redrawn each epoch, uniform negatives over
 * unseen training items, and, given validation data, early stopping on validation Recall@20 with
 * the best weights kept. One seed drives every random choice.
 */
public final class CraneTrainer implements Trainer<ItemId> {
    private static final Logger logger = Logger.getLogger(CraneTrainer.class.getName());

    @Config(description = "Embedding size d.")
    int embeddingSize = 64;
    @Config(description = "Recursions R of cross-modal attention (0 = no attention).")
    int recursions = 2;
    @Config(description = "Tokens T per item representation (must divide embeddingSize).")
    int tokens = 4;
    @Config(description = "Separate attention weights per recursion instead of shared ones.")
    boolean untieRecursions = false;
    @Config(description = "Users get multimodal profiles: the mean semantic representation of their training items.")
    boolean userProfiles = true;
    @Config(description = "Propagation layers L_ui on the user-item graph (3, as LightGCN's authors; the paper's 2 is one setting away).")
    int userItemLayers = 3;
    @Config(description = "Propagation layers L_ii on the item-item semantic graph (0 = semantic graph off).")
    int itemGraphLayers = 1;
    @Config(description = "Also propagate the items' ID embeddings over the item-item graph and add them to the item "
            + "representation (FREEDOM's and the released code's use of the graph; the method propagates only Z).")
    boolean itemGraphIds = false;
    @Config(description = "Neighbours k per item in each modality's cosine kNN graph (self included).")
    int knnK = 10;
    @Config(description = "How each modality's kNN graph is found: exact (every similarity computed), int8 (every similarity "
            + "estimated by 8-bit products, each item's 1.5 k best estimates re-ranked exactly), hnsw (approximate search with "
            + "Lucene's HNSW) or auto (default: exact below " + org.crane.graph.KnnIndex.INT8_FROM_ITEMS + " items, int8 below "
            + org.crane.graph.KnnIndex.AUTO_FROM_ITEMS + ", hnsw from there).")
    String knnIndex = "auto";
    @Config(description = "Candidates kept per HNSW search (efSearch) when the kNN graph is approximate: higher finds more of the exact "
            + "neighbours and takes longer.")
    int knnEfSearch = 100;
    @Config(description = "Weight alpha_m of each modality's kNN graph, in the order the modalities are given; empty (default) = "
            + "chosen from the training interactions: by how much more often than chance each graph links two items of one user "
            + "(the paper's two-modality 0.1/0.9 is one setting away).")
    List<String> modalityWeights = new ArrayList<>();
    @Config(description = "Scaling of raw modality features before the projection: NONE (as MMRec), L2_ROWS or STANDARDIZE (per column).")
    org.crane.data.FeatureScaling featureScaling = org.crane.data.FeatureScaling.L2_ROWS;
    @Config(description = "Start the semantic output projection W_Z at zero, so training starts from the behaviour view "
            + "(the paper is silent on initialisation; false = Xavier like every other matrix). With JOINT coupling a zero W_Z "
            + "keeps content scores out of the first steps, but the contrastive loss's row normalisation is singular at zero "
            + "(docs/accuracy.md), so W_Z then learns very slowly.")
    boolean zeroInitSemanticOutput = false;
    @Config(description = "How the behaviour view and the semantic view share the objective: RESIDUAL (default: the behaviour "
            + "view is LightGCN, trained by its own BPR loss; the fused BPR and the contrastive loss train the semantic view "
            + "alone) or JOINT (the paper's reading: one fused loss trains everything).")
    CraneConfig.Coupling semanticCoupling = CraneConfig.Coupling.RESIDUAL;
    @Config(description = "Scales beta of the semantic view tried at each validation, e_u = Ebar_u + beta HU_u and "
            + "e_i = Ebar_i + beta HI_i; the (epoch, beta) with the best validation Recall@20 is kept, so features that do "
            + "not help on held-out data are scaled down or out (0 = the behaviour view alone). Empty = 1 only (the paper).")
    List<String> semanticScales = new ArrayList<>(List.of("0", "0.25", "0.5", "1"));
    @Config(description = "An item with no training interaction (a cold item) borrows the behaviour representation of its "
            + "neighbours with training interactions in the kNN graph of the raw features (weighted mean), so that it competes "
            + "with warm items on equal terms; false = its behaviour part is zero and only the semantic view scores it.")
    boolean coldItemsFromNeighbours = true;
    @Config(description = "Rebuild the item-item graph every this many epochs as the cosine kNN graph of the learned (detached) "
            + "modality representation Z (0 = keep the graph of the raw features).")
    int semanticGraphRefresh = 0;
    @Config(description = "Local steps for large data sets (multimodal runs): 1 = exact steps over the whole user-item graph; "
            + "S > 1 = every step computes the behaviour view only for the batch's users and items, from their first-layer "
            + "neighbours and a history of the deeper layers recomputed every S steps and at each epoch's start (historical "
            + "embeddings, GNNAutoScale); the semantic view stays exact. 0 (default) = auto: S = " + LOCAL_REFRESH + " from "
            + LOCAL_FROM_INTERACTIONS + " training interactions, exact below. The ID embeddings' gradients then lack the deeper "
            + "layers' paths (docs/large-catalogues.md).")
    int historyRefreshSteps = 0;
    @Config(description = "With local steps (historyRefreshSteps resolving to S > 1): update the semantic view's parameters "
            + "every this many steps from the mean of those steps' gradients, and between two updates read the view (every "
            + "item's, every user's profile) from a cache computed after each update instead of recomputing it in every step. "
            + "1 = the semantic view is computed in every step and its parameters updated every step; 0 (default) = auto: "
            + "ceil(items / batchSize) with local steps (an update costs a pass over the catalogue), 1 with exact steps. Values "
            + "above 1 need local steps (docs/large-catalogues.md).")
    int semanticUpdateSteps = 0;
    @Config(description = "Temperature tau of the contrastive loss.")
    float temperature = 0.2f;
    @Config(description = "Weight lambda_cl of the contrastive loss (0 = off).")
    float contrastiveWeight = 0.01f;
    @Config(description = "Weight lambda_reg of the L2 penalty on the batch's ego embeddings.")
    float regWeight = 1e-4f;
    @Config(description = "Decoupled (AdamW-style) weight decay on the multimodal parameters only (projections, attention, W_Z), "
            + "not on the ID embeddings; 0 = none, as in the paper.")
    float semanticWeightDecay = 0f;
    @Config(description = "Edge drop rate rho of degree-sensitive pruning: each epoch keeps floor((1 - rho) |E|) edges "
            + "(0 = full graph, the default; the paper's 0.8 removes most of a sparse user's few edges).")
    float edgeDropRate = 0f;
    @Config(description = "Learning rate (0.005; MMRec's 0.001 is one setting away).")
    float learningRate = 5e-3f;
    @Config(description = "The optimiser (default Adam with beta1 0.9, beta2 0.999, epsilon 1e-8; an AdamOptimizer component "
            + "in XML sets them).")
    OptimizerFactory optimizer = new AdamOptimizer();
    @Config(description = "Triples (user, positive, negative) per minibatch.")
    int batchSize = 2048;
    @Config(description = "Maximum number of epochs.")
    int maxEpochs = 1000;
    @Config(description = "Early stopping: epochs without a better validation metric before stopping.")
    int patience = 20;
    @Config(description = "The validation metric early stopping and the semantic scale's choice maximise: Recall@K, NDCG@K, "
            + "Precision@K, MAP@K or HitRate@K with K in 1..1000.")
    String earlyStoppingMetric = "Recall@20";
    @Config(description = "Seed of every random choice (initialisation, pruning, shuffling, negatives).")
    long seed = 999L;
    @Config(description = "ONNX Runtime intra-op threads (0 = one per physical core).")
    int threads = 0;
    @Config(description = "Execution provider: CPU, or CUDA (falls back to CPU with a warning when unavailable).")
    ExecutionProvider executionProvider = ExecutionProvider.CPU;
    @Config(description = "Item modalities (none = LightGCN).")
    ItemFeatureSource itemFeatures = null;
    @Config(description = "Items listed in a prediction's output scores.")
    int topK = 20;
    @Config(description = "Recommend popular items to unknown users instead of failing.")
    boolean popularityFallback = false;
    @Config(description = "Log progress every this many epochs.")
    int logEvery = 1;

    private int invocationCount = 0;

    /** For OLCUT; code uses the public constructors or the {@link Builder}. */
    CraneTrainer() {
    }

    /**
     * CRANE with every default of this trainer (LightGCN when {@code itemFeatures} is null).
     * @param itemFeatures the item modalities, or null.
     */
    public CraneTrainer(ItemFeatureSource itemFeatures) {
        this.itemFeatures = itemFeatures;
        postConfig();
    }

    /**
     * CRANE with every default but the budget and the seed.
     * @param itemFeatures the item modalities, or null for LightGCN.
     * @param maxEpochs the most epochs to train (early stopping needs validation data:
     *        {@link #train(Dataset, Dataset)}).
     * @param seed the seed of every random choice.
     */
    public CraneTrainer(ItemFeatureSource itemFeatures, int maxEpochs, long seed) {
        this.itemFeatures = itemFeatures;
        this.maxEpochs = maxEpochs;
        this.seed = seed;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        TrainerValidation.check(this);
    }

    /** @return the edge drop rate rho of training-time pruning. */
    public float edgeDropRate() {
        return edgeDropRate;
    }

    /** @return the epoch budget (early stopping may end a run sooner). */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** @return triples per minibatch. */
    public int batchSize() {
        return batchSize;
    }

    /** @return neighbours per item in each modality's kNN graph. */
    public int knnK() {
        return knnK;
    }

    /** With {@code historyRefreshSteps = 0}: the training interactions from which local steps run (measured: docs/large-catalogues.md). */
    public static final int LOCAL_FROM_INTERACTIONS = 1_000_000;
    /** With {@code historyRefreshSteps = 0}: the refresh interval of local steps. */
    public static final int LOCAL_REFRESH = 50;

    /** @return the configured refresh interval of local steps: 0 = auto, 1 = exact steps. */
    public int historyRefreshSteps() {
        return historyRefreshSteps;
    }

    /**
     * @param interactions the training interactions.
     * @param multimodal whether the run has item modalities (local steps need them).
     * @return the refresh interval the run uses: 1 = exact steps.
     */
    public int historyRefreshSteps(long interactions, boolean multimodal) {
        return resolveHistoryRefresh(historyRefreshSteps, interactions, multimodal);
    }

    /**
     * @param configured a {@code historyRefreshSteps} value (0 = auto).
     * @param interactions the training interactions.
     * @param multimodal whether the run has item modalities (local steps need them).
     * @return the refresh interval a run with that setting uses: 1 = exact steps.
     */
    static int resolveHistoryRefresh(int configured, long interactions, boolean multimodal) {
        if (!multimodal) {
            return 1;
        }
        return configured != 0 ? configured : interactions >= LOCAL_FROM_INTERACTIONS ? LOCAL_REFRESH : 1;
    }

    /**
     * @param configured a {@code semanticUpdateSteps} value (0 = auto).
     * @param historyRefresh the resolved {@code historyRefreshSteps} (1 = exact steps).
     * @param items the catalogue size N.
     * @param batchSize the triples per step B.
     * @return the steps between two updates of the semantic parameters: 1 = every step, the view computed in each;
     *         auto = ceil(N / B), so that the updates (each costs a pass over the catalogue) cost per step about what
     *         a pass over B items costs, whatever the catalogue's size, and an epoch holds about as many updates as
     *         the data's interactions per item.
     * @throws IllegalArgumentException when a value above 1 is set without local steps.
     */
    static int resolveSemanticUpdate(int configured, int historyRefresh, int items, int batchSize) {
        if (historyRefresh <= 1) {
            if (configured > 1) {
                throw new IllegalArgumentException("semanticUpdateSteps = " + configured + " needs local steps: set historyRefreshSteps "
                        + "above 1 (auto chooses local steps from " + LOCAL_FROM_INTERACTIONS + " training interactions)");
            }
            return 1;
        }
        return configured != 0 ? configured : Math.max(1, (items + batchSize - 1) / batchSize);
    }

    /**
     * @param interactions the training interactions.
     * @param items the catalogue size.
     * @param multimodal whether the run has item modalities (without, 1 whatever the setting).
     * @return the steps between two updates of the semantic parameters the run uses (1 = every step).
     */
    public int semanticUpdateSteps(long interactions, int items, boolean multimodal) {
        // without modalities (LightGCN) there is no semantic view, whatever the setting
        return !multimodal ? 1 : resolveSemanticUpdate(semanticUpdateSteps, historyRefreshSteps(interactions, multimodal), items, batchSize);
    }

    /**
     * @param items the catalogue size.
     * @return how the modalities' kNN graphs are found for a catalogue of that size.
     */
    public org.crane.graph.KnnIndex knnIndex(int items) {
        return org.crane.graph.KnnIndex.resolve(knnIndex, items, knnK, knnEfSearch);
    }

    /** @return the item modalities, or null for LightGCN. */
    public ItemFeatureSource itemFeatures() {
        return itemFeatures;
    }

    /**
     * @param k the number of modalities.
     * @return alpha_m of each modality's kNN graph.
     */
    public double[] modalityWeights(int k) {
        if (!modalityWeights.isEmpty()) {
            return modalityWeights.stream().mapToDouble(Double::parseDouble).toArray();
        }
        // chosen from the training interactions at training time; equal weights stand in here
        double[] a = new double[k];
        java.util.Arrays.fill(a, 1.0 / Math.max(1, k));
        return a;
    }

    /** @return the network hyper-parameters. */
    public CraneConfig networkConfig() {
        return TrainerValidation.networkConfig(this);
    }

    /**
     * Trains without validation data: all {@code maxEpochs} epochs, the last one kept (a warning is
     * logged); prefer {@link #train(Dataset, Dataset)}.
     * @param examples the training interactions.
     * @return the model.
     */
    @Override
    public CraneModel train(Dataset<ItemId> examples) {
        return train(examples, Map.of());
    }

    @Override
    public CraneModel train(Dataset<ItemId> examples, Map<String, Provenance> runProvenance) {
        return train(examples, null, runProvenance);
    }

    @Override
    public CraneModel train(Dataset<ItemId> examples, Map<String, Provenance> runProvenance, int invocation) {
        if (invocation != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocation);
        }
        return train(examples, null, runProvenance);
    }

    /**
     * Trains with early stopping on validation data.
     * @param train the training interactions.
     * @param validation the validation interactions (null: no early stopping, train maxEpochs).
     * @return the model (the best validation epoch's weights when validation data is given).
     */
    public CraneModel train(Dataset<ItemId> train, Dataset<ItemId> validation) {
        return train(train, validation, Map.of());
    }

    /**
     * @param train the training interactions.
     * @param validation the validation interactions, or null.
     * @param runProvenance extra run provenance.
     * @return the model.
     */
    public CraneModel train(Dataset<ItemId> train, Dataset<ItemId> validation, Map<String, Provenance> runProvenance) {
        return train(train, validation, runProvenance, TrainingListener.NONE);
    }

    /**
     * @param train the training interactions.
     * @param validation the validation interactions, or null.
     * @param runProvenance extra run provenance.
     * @param listener told after every epoch.
     * @return the model.
     */
    public CraneModel train(Dataset<ItemId> train, Dataset<ItemId> validation, Map<String, Provenance> runProvenance,
                            TrainingListener listener) {
        return train(train, validation, runProvenance, listener, Checkpointing.NONE);
    }

    /**
     * Trains with checkpoints: after every {@code checkpointing.every()} epochs the parameters, the
     * optimizer state and the early-stopping state are saved atomically, and a run resumed from such
     * a checkpoint ends with exactly the model an uninterrupted run would have produced (same
     * configuration, data and thread count). A diverging loss stops training and leaves the last
     * checkpoint, which holds only finite values, in place.
     * @param train the training interactions.
     * @param validation the validation interactions, or null.
     * @param runProvenance extra run provenance.
     * @param listener told after every epoch.
     * @param checkpointing when and where to save checkpoints, and which one to resume from.
     * @return the model.
     * @throws IllegalArgumentException when the checkpoint to resume from belongs to another configuration or data.
     */
    public CraneModel train(Dataset<ItemId> train, Dataset<ItemId> validation, Map<String, Provenance> runProvenance,
                            TrainingListener listener, Checkpointing checkpointing) {
        TrainerProvenance trainerProvenance;
        synchronized (this) {
            trainerProvenance = getProvenance();
            invocationCount++;
        }
        List<FeatureMatrix> mods = itemFeatures == null ? List.of() : itemFeatures.getModalities();
        TrainingData data = TrainingData.of(train, mods.isEmpty() ? -1 : itemFeatures.numItems());
        int[][] validRel = validation == null ? null : data.relevant(validation);
        if (validation == null) {
            logger.warning("No validation data: training all " + maxEpochs + " epochs (maxEpochs) without early stopping and keeping "
                    + "the last one; pass validation interactions to train(train, validation) to stop at the best epoch");
        }
        if (validRel != null && java.util.Arrays.stream(validRel).allMatch(r -> r == null)) {
            throw new IllegalArgumentException("The validation data has no interaction of a user known from training");
        }
        EngineConfig ec = EngineConfig.DEFAULT.withThreads(threads).withProvider(executionProvider);
        List<String> hashes = itemFeatures == null ? List.of() : itemFeatures.getHashes();
        TrainingRun run = new TrainingRun(this, data, mods, validRel, ec, listener, checkpointing,
                RunFingerprint.of(trainerProvenance, hashes, data, validRel),
                new ItemGraphs(mods, hashes, knnK, knnIndex(data.numItems), modalityWeights, coldItemsFromNeighbours));
        TrainingRun.Result res = org.crane.engine.LargeStack.get("crane-training", run::execute);
        Map<String, Provenance> runProv = res.provenance(runProvenance, checkpointing.resumeFrom(), ec.resolvedThreads(), !mods.isEmpty());
        ModelProvenance prov = new ModelProvenance(CraneModel.class.getName(), OffsetDateTime.now(), train.getProvenance(),
                trainerProvenance, runProv);
        return new CraneModel("crane", prov, new ImmutableFeatureMap(train.getFeatureMap()), train.getOutputIDInfo(), data.users,
                data.numItems, embeddingSize, res.userEmb(), res.itemEmb(), data.itemsByUser, data.popularity(), popularityFallback, topK,
                res.history(), res.bestEpoch());
    }

    /** @return the semantic scales as numbers (validation chooses among them). */
    double[] semanticScaleValues() {
        return semanticScales.isEmpty() ? new double[]{1.0} : semanticScales.stream().mapToDouble(Double::parseDouble).toArray();
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("Invocation count must be >= 0, got " + count);
        }
        this.invocationCount = count;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "CraneTrainer(d=" + embeddingSize + ", R=" + recursions + ", T=" + tokens + ", L_ui=" + userItemLayers + ", L_ii=" + itemGraphLayers
                + ", lambda_cl=" + contrastiveWeight + ", lr=" + learningRate + ", seed=" + seed + ", modalities="
                + (itemFeatures == null ? 0 : itemFeatures.getModalities().size()) + ")";
    }

    /**
     * Sets any field by name, validated when built:
     * {@code new CraneTrainer.Builder().embeddingSize(32).maxEpochs(50).build()}.
     */
    public static final class Builder extends CraneTrainerBuilder {
        /** A builder starting from every default. */
        public Builder() {
        }
    }
}
