package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.crane.CraneModel;
import org.crane.ItemId;
import org.crane.data.FeatureMatrix;
import org.crane.data.ItemFeatureSource;
import org.crane.engine.Adam;
import org.crane.engine.EngineConfig;
import org.crane.engine.ExecutionProvider;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.eval.RankingEvaluator;
import org.crane.graph.CooMatrix;
import org.crane.graph.ScaledCoo;
import org.crane.graph.InteractionGraph;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.ScoringGraphs;
import org.crane.model.SemanticGraph;
import org.crane.onnx.GraphSpec;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.nio.FloatBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
    private int embeddingSize = 64;
    @Config(description = "Recursions R of cross-modal attention (0 = no attention).")
    private int recursions = 2;
    @Config(description = "Tokens T per item representation (must divide embeddingSize).")
    private int tokens = 4;
    @Config(description = "Separate attention weights per recursion instead of shared ones.")
    private boolean untieRecursions = false;
    @Config(description = "Users get multimodal profiles: the mean semantic representation of their training items.")
    private boolean userProfiles = true;
    @Config(description = "Propagation layers L_ui on the user-item graph (3, as LightGCN's authors; the paper's 2 is one setting away).")
    private int userItemLayers = 3;
    @Config(description = "Propagation layers L_ii on the item-item semantic graph (0 = semantic graph off).")
    private int itemGraphLayers = 1;
    @Config(description = "Also propagate the items' ID embeddings over the item-item graph and add them to the item "
            + "representation (FREEDOM's and the released code's use of the graph; the method propagates only Z).")
    private boolean itemGraphIds = false;
    @Config(description = "Neighbours k per item in each modality's cosine kNN graph (self included).")
    private int knnK = 10;
    @Config(description = "Weight alpha_m of each modality's kNN graph, in the order the modalities are given; empty (default) = "
            + "chosen from the training interactions: by how much more often than chance each graph links two items of one user "
            + "(the paper's two-modality 0.1/0.9 is one setting away).")
    private List<String> modalityWeights = new ArrayList<>();
    @Config(description = "Scaling of raw modality features before the projection: NONE (as MMRec), L2_ROWS or STANDARDIZE (per column).")
    private org.crane.data.FeatureScaling featureScaling = org.crane.data.FeatureScaling.L2_ROWS;
    @Config(description = "Start the semantic output projection W_Z at zero, so training starts from the behaviour view "
            + "(the paper is silent on initialisation; false = Xavier like every other matrix). With JOINT coupling a zero W_Z "
            + "keeps content scores out of the first steps, but the contrastive loss's row normalisation is singular at zero "
            + "(docs/accuracy.md), so W_Z then learns very slowly.")
    private boolean zeroInitSemanticOutput = false;
    @Config(description = "How the behaviour view and the semantic view share the objective: RESIDUAL (default: the behaviour "
            + "view is LightGCN, trained by its own BPR loss; the fused BPR and the contrastive loss train the semantic view "
            + "alone) or JOINT (the paper's reading: one fused loss trains everything).")
    private CraneConfig.Coupling semanticCoupling = CraneConfig.Coupling.RESIDUAL;
    @Config(description = "Scales beta of the semantic view tried at each validation, e_u = Ebar_u + beta HU_u and "
            + "e_i = Ebar_i + beta HI_i; the (epoch, beta) with the best validation Recall@20 is kept, so features that do "
            + "not help on held-out data are scaled down or out (0 = the behaviour view alone). Empty = 1 only (the paper).")
    private List<String> semanticScales = new ArrayList<>(List.of("0", "0.25", "0.5", "1"));
    @Config(description = "An item with no training interaction (a cold item) borrows the behaviour representation of its "
            + "neighbours with training interactions in the kNN graph of the raw features (weighted mean), so that it competes "
            + "with warm items on equal terms; false = its behaviour part is zero and only the semantic view scores it.")
    private boolean coldItemsFromNeighbours = true;
    @Config(description = "Rebuild the item-item graph every this many epochs as the cosine kNN graph of the learned (detached) "
            + "modality representation Z (0 = keep the graph of the raw features).")
    private int semanticGraphRefresh = 0;
    @Config(description = "Temperature tau of the contrastive loss.")
    private float temperature = 0.2f;
    @Config(description = "Weight lambda_cl of the contrastive loss (0 = off).")
    private float contrastiveWeight = 0.01f;
    @Config(description = "Weight lambda_reg of the L2 penalty on the batch's ego embeddings.")
    private float regWeight = 1e-4f;
    @Config(description = "Decoupled (AdamW-style) weight decay on the multimodal parameters only (projections, attention, W_Z), "
            + "not on the ID embeddings; 0 = none, as in the paper.")
    private float semanticWeightDecay = 0f;
    @Config(description = "Edge drop rate rho of degree-sensitive pruning: each epoch keeps floor((1 - rho) |E|) edges "
            + "(0 = full graph, the default; the paper's 0.8 removes most of a sparse user's few edges).")
    private float edgeDropRate = 0f;
    @Config(description = "Adam learning rate (0.005; MMRec's 0.001 is one setting away).")
    private float learningRate = 5e-3f;
    @Config(description = "Triples (user, positive, negative) per minibatch.")
    private int batchSize = 2048;
    @Config(description = "Maximum number of epochs.")
    private int maxEpochs = 1000;
    @Config(description = "Early stopping: epochs without a better validation Recall@20 before stopping.")
    private int patience = 20;
    @Config(description = "Seed of every random choice (initialisation, pruning, shuffling, negatives).")
    private long seed = 999L;
    @Config(description = "ONNX Runtime intra-op threads (0 = one per physical core).")
    private int threads = 0;
    @Config(description = "Execution provider: CPU, or CUDA (falls back to CPU with a warning when unavailable).")
    private ExecutionProvider executionProvider = ExecutionProvider.CPU;
    @Config(description = "Item modalities (none = LightGCN).")
    private ItemFeatureSource itemFeatures = null;
    @Config(description = "Items listed in a prediction's output scores.")
    private int topK = 20;
    @Config(description = "Recommend popular items to unknown users instead of failing.")
    private boolean popularityFallback = false;
    @Config(description = "Log progress every this many epochs.")
    private int logEvery = 1;

    private int invocationCount = 0;

    /** For OLCUT; code uses the public constructors or the {@link Builder}. */
    private CraneTrainer() {
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
        networkConfig();
        if (!(semanticWeightDecay >= 0)) {
            throw new PropertyException("", "semanticWeightDecay", "semanticWeightDecay must be >= 0, got " + semanticWeightDecay);
        }
        if (semanticGraphRefresh < 0) {
            throw new PropertyException("", "semanticGraphRefresh", "semanticGraphRefresh must be >= 0 epochs, got " + semanticGraphRefresh);
        }
        if (knnK < 1) {
            throw new PropertyException("", "knnK", "knnK must be >= 1, got " + knnK);
        }
        if (!(edgeDropRate >= 0 && edgeDropRate < 1)) {
            throw new PropertyException("", "edgeDropRate", "edgeDropRate must be in [0, 1), got " + edgeDropRate);
        }
        if (!(learningRate > 0)) {
            throw new PropertyException("", "learningRate", "learningRate must be > 0, got " + learningRate);
        }
        // each bound named by its own field; upper bounds keep sizes far from int overflow and graphs finite
        bound("batchSize", batchSize, 1, 1 << 24);
        bound("maxEpochs", maxEpochs, 1, 1_000_000);
        bound("patience", patience, 1, 1_000_000);
        bound("topK", topK, 1, 1 << 20);
        bound("logEvery", logEvery, 1, 1_000_000);
        bound("threads", threads, 0, 4096);
        bound("embeddingSize", embeddingSize, 1, 8192);
        bound("recursions", recursions, 0, 64);
        bound("userItemLayers", userItemLayers, 0, 64);
        bound("itemGraphLayers", itemGraphLayers, 0, 64);
        bound("knnK", knnK, 1, 10_000);
        for (String s : semanticScales) {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new PropertyException("", "semanticScales", "semantic scale '" + s + "' is not a number");
            }
            if (!(v >= 0 && v <= 100)) {
                throw new PropertyException("", "semanticScales", "semantic scales must be in [0, 100], got " + s);
            }
        }
        for (String w : modalityWeights) {
            try {
                Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new PropertyException("", "modalityWeights", "modality weight '" + w + "' is not a number");
            }
        }
    }

    private static void bound(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new PropertyException("", field, field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** @return the edge drop rate rho of training-time pruning. */
    public float edgeDropRate() {
        return edgeDropRate;
    }

    /** @return triples per minibatch. */
    public int batchSize() {
        return batchSize;
    }

    /** @return neighbours per item in each modality's kNN graph. */
    public int knnK() {
        return knnK;
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
        double[] a = alphas(k);
        if (a == null) {
            // chosen from the training interactions at training time; equal weights stand in here
            a = new double[k];
            java.util.Arrays.fill(a, 1.0 / Math.max(1, k));
        }
        return a;
    }

    /** @return the network hyper-parameters. */
    public CraneConfig networkConfig() {
        try {
            return new CraneConfig(embeddingSize, recursions, tokens, untieRecursions, userProfiles, userItemLayers, itemGraphLayers,
                    temperature, contrastiveWeight, regWeight, itemGraphIds, semanticCoupling);
        } catch (IllegalArgumentException e) {
            // CraneConfig's messages name their field: report that one
            String msg = String.valueOf(e.getMessage());
            String field = "embeddingSize";
            for (String f : List.of("embeddingSize", "recursions", "tokens", "userItemLayers", "itemGraphLayers", "temperature",
                    "contrastiveWeight", "regWeight", "coupling")) {
                if (msg.startsWith(f)) {
                    field = f.equals("coupling") ? "semanticCoupling" : f;
                    break;
                }
            }
            throw new PropertyException("", field, msg);
        }
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
        Run run = new Run(data, mods, validRel, ec, listener, checkpointing, fingerprint(trainerProvenance, data, validRel));
        Result res = org.crane.engine.LargeStack.get("crane-training", run::execute);
        Map<String, Provenance> runProv = new LinkedHashMap<>(runProvenance);
        if (checkpointing.resumeFrom() != null) {
            runProv.put("resumed-after-epoch", new IntProvenance("resumed-after-epoch", checkpointing.resumeFrom().epoch()));
        }
        runProv.put("execution-provider-used", new StringProvenance("execution-provider-used", res.provider.name()));
        runProv.put("intra-op-threads", new IntProvenance("intra-op-threads", ec.resolvedThreads()));
        runProv.put("best-epoch", new IntProvenance("best-epoch", res.bestEpoch));
        if (!mods.isEmpty()) {
            runProv.put("semantic-scale", new com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance("semantic-scale", res.semanticScale));
            if (res.graphWeights != null) {
                runProv.put("modality-weights", new StringProvenance("modality-weights", java.util.Arrays.toString(res.graphWeights)));
            }
        }
        ModelProvenance prov = new ModelProvenance(CraneModel.class.getName(), OffsetDateTime.now(), train.getProvenance(),
                trainerProvenance, runProv);
        return new CraneModel("crane", prov, new ImmutableFeatureMap(train.getFeatureMap()), train.getOutputIDInfo(), data.users,
                data.numItems, embeddingSize, res.userEmb, res.itemEmb, data.itemsByUser, data.popularity(), popularityFallback, topK,
                res.history);
    }

    /**
     * The item-item graph in the stacked form the network multiplies: the kNN graphs of the raw
     * features, or, once refreshed from the learned representation, that one graph in the first of
     * the K blocks (weight 1, the others empty).
     */
    private ScaledCoo itemGraph(OrtEngine engine, List<FeatureMatrix> mods, CooMatrix refreshed, double[] weights) {
        return refreshed != null
                ? SemanticGraph.stack(List.of(refreshed), new double[]{1}, mods.size())
                : SemanticGraph.stack(SemanticGraph.graphs(engine, mods, itemFeatures.getHashes(), knnK), weights, mods.size());
    }

    /**
     * The item-item graph of the raw features (sum of alpha_m times each modality's kNN graph) whose
     * rows give a cold item's neighbours, or null: no modalities, no cold item, or the option off.
     */
    private CooMatrix coldItemGraph(OrtEngine engine, List<FeatureMatrix> mods, TrainingData data, double[] weights) {
        if (mods.isEmpty() || !coldItemsFromNeighbours || data.trainItems().length == data.numItems) {
            return null;
        }
        double[] w = weights != null ? weights : graphWeights(engine, mods, data.itemsByUser);
        List<CooMatrix> graphs = SemanticGraph.graphs(engine, mods, itemFeatures.getHashes(), knnK);
        CooMatrix sum = graphs.get(0).scale((float) w[0]);
        for (int k = 1; k < graphs.size(); k++) {
            sum = sum.plus(graphs.get(k).scale((float) w[k]));
        }
        return sum;
    }

    /** alpha_m as configured, or chosen from the training interactions when none is configured. */
    private double[] graphWeights(OrtEngine engine, List<FeatureMatrix> mods, int[][] itemsByUser) {
        double[] a = alphas(mods.size());
        if (a != null) {
            return a;
        }
        return ModalityWeighting.fromTraining(mods.stream().map(FeatureMatrix::name).toList(),
                SemanticGraph.graphs(engine, mods, itemFeatures.getHashes(), knnK), itemsByUser);
    }

    /** @return the configured alpha_m, or null: choose them from the training interactions. */
    private double[] alphas(int k) {
        if (!modalityWeights.isEmpty()) {
            if (modalityWeights.size() != k) {
                throw new IllegalArgumentException(k + " modalities but " + modalityWeights.size() + " modalityWeights");
            }
            return modalityWeights.stream().mapToDouble(Double::parseDouble).toArray();
        }
        return null;
    }

    /**
     * @param property a system property that switches a faster graph layout off when "false":
     *        {@code crane.offloadProjection} (projections in sessions of their own) or
     *        {@code crane.batchProfiles} (profiles of the batch's users only). The model is the
     *        same either way up to float rounding; tests compare the layouts.
     * @return whether the layout is on.
     */
    private static boolean layoutSwitch(String property) {
        return !"false".equals(System.getProperty(property));
    }

    /**
     * Trainer fields that may change between a checkpoint and its resume: budgets, reporting, and the
     * learning rate (resuming a diverged run from its last good checkpoint with a smaller one).
     */
    private static final java.util.Set<String> RESUMABLE_CHANGES = java.util.Set.of("maxEpochs", "patience", "logEvery", "threads",
            "topK", "popularityFallback", "executionProvider", "itemFeatures", "learningRate");

    /**
     * A SHA-256 over the configuration that shapes the maths (every configured field but those in
     * {@link #RESUMABLE_CHANGES}), the training interactions, the feature hashes and the validation
     * targets, so that a checkpoint is never resumed against something else.
     */
    private String fingerprint(TrainerProvenance provenance, TrainingData data, int[][] validRel) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.util.TreeMap<String, Provenance> fields = new java.util.TreeMap<>(provenance.getConfiguredParameters());
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Provenance> e : fields.entrySet()) {
                if (!RESUMABLE_CHANGES.contains(e.getKey())) {
                    sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
                }
            }
            sb.append("features=").append(itemFeatures == null ? List.of() : itemFeatures.getHashes()).append('\n');
            sb.append("users=").append(data.users.size()).append(" items=").append(data.numItems).append('\n');
            sha.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);
            for (int[][] rows : validRel == null ? new int[][][]{data.itemsByUser} : new int[][][]{data.itemsByUser, validRel}) {
                for (int[] row : rows) {
                    buf.clear();
                    buf.putInt(row == null ? -1 : row.length);
                    sha.update(buf.array(), 0, 4);
                    if (row != null) {
                        for (int x : row) {
                            buf.clear();
                            buf.putInt(x);
                            sha.update(buf.array(), 0, 4);
                        }
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * The generator of one random stream in one epoch, derived from the seed alone, so that a
     * resumed run draws exactly what an uninterrupted one would.
     */
    private SplittableRandom epochRandom(int epoch, int stream) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * epoch) ^ (0xBF58476D1CE4E5B9L * (stream + 1)));
    }

    private double[] semanticScaleValues() {
        return semanticScales.isEmpty() ? new double[]{1.0} : semanticScales.stream().mapToDouble(Double::parseDouble).toArray();
    }

    private record Result(float[] userEmb, float[] itemEmb, int bestEpoch, double semanticScale, double[] graphWeights,
                          List<CraneModel.EpochRecord> history,
                          ExecutionProvider provider) {
    }

    /** One training run: owns the engine, sessions and native tensors for its duration. */
    private final class Run {
        private final TrainingData data;
        private final List<FeatureMatrix> mods;
        private final int[][] validRel;
        private final EngineConfig engineConfig;
        private final TrainingListener listener;
        private final Checkpointing checkpointing;
        private final String fingerprint;

        Run(TrainingData data, List<FeatureMatrix> mods, int[][] validRel, EngineConfig engineConfig, TrainingListener listener,
            Checkpointing checkpointing, String fingerprint) {
            this.listener = listener;
            this.checkpointing = checkpointing;
            this.fingerprint = fingerprint;
            TrainingCheckpoint resume = checkpointing.resumeFrom();
            if (resume != null && !resume.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException("The checkpoint (epoch " + resume.epoch() + ") belongs to another configuration or data set: "
                        + "resume with the same data, modalities and trainer settings (only maxEpochs, patience, learningRate, threads, "
                        + "logEvery, topK, popularityFallback and executionProvider may change)");
            }
            this.data = data;
            this.mods = mods;
            this.validRel = validRel;
            this.engineConfig = engineConfig;
        }

        Result execute() {
            CraneConfig cfg = networkConfig();
            int m = data.users.size();
            int n = data.numItems;
            int d = cfg.embeddingSize();
            int[] dims = mods.stream().mapToInt(FeatureMatrix::cols).toArray();
            SplittableRandom initRng = new SplittableRandom(seed).split();
            InteractionGraph graph = new InteractionGraph(m, n, data.itemsByUser);
            boolean offload = !mods.isEmpty() && layoutSwitch("crane.offloadProjection");
            CraneNetwork net = new CraneNetwork(cfg, m, n, dims, new CraneNetwork.Layout(offload, layoutSwitch("crane.batchProfiles")));
            GraphSpec trainSpec = net.trainingGraph();
            // the embedding graph reads every user's profile in any layout, but needs the raw features inline
            GraphSpec embedSpec = (offload ? new CraneNetwork(cfg, m, n, dims) : net).embeddingGraph();
            Map<String, OnnxTensor> fixed = new HashMap<>();
            Map<String, OnnxTensor> adjacency = new HashMap<>();
            List<CraneModel.EpochRecord> history = new ArrayList<>();
            requireMemory(net.parameterShapes().values(), m, n, d, cfg.userItemLayers());
            try (OrtEngine engine = new OrtEngine(engineConfig);
                 ParameterStore store = new ParameterStore(engine.env())) {
                Map<String, float[]> init = net.initialValues(initRng, zeroInitSemanticOutput);
                for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                    store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
                }
                List<FeatureMatrix> scaled = new ArrayList<>();
                for (FeatureMatrix raw : mods) {
                    scaled.add(featureScaling.apply(raw));
                }
                ProjectionPlan plan = ProjectionPlan.choose(scaled, offload && engine.activeProvider() == ExecutionProvider.CPU
                        && layoutSwitch("crane.sparseProjection"), d);
                for (int k = 0; k < mods.size(); k++) {
                    FeatureMatrix f = scaled.get(k);
                    fixed.put(GraphInputs.features(k), Tensors.floats(engine.env(), f.values(), f.rows(), f.cols()));
                    if (offload && !plan.isSparse(k) || trainSpec.inputs().containsKey(GraphInputs.featuresTransposed(k))) {
                        fixed.put(GraphInputs.featuresTransposed(k), Tensors.floats(engine.env(), f.transposedValues(), f.cols(), f.rows()));
                    }
                }
                boolean itemGraph = !mods.isEmpty() && cfg.itemGraphLayers() > 0;
                double[] graphWeights = null;
                CooMatrix refreshed = checkpointing.resumeFrom() == null ? null : checkpointing.resumeFrom().itemGraph();
                if (itemGraph) {
                    graphWeights = graphWeights(engine, mods, data.itemsByUser);
                    fixed.putAll(Tensors.scaled(engine.env(), GraphInputs.ITEM_GRAPH, itemGraph(engine, mods, refreshed, graphWeights)));
                }
                if (!mods.isEmpty() && cfg.userProfiles()) {
                    fixed.putAll(Tensors.coo(engine.env(), GraphInputs.USER_MEAN, graph.userMeanMatrix()));
                }
                Map<String, OnnxTensor> fullAdj = Tensors.scaled(engine.env(), GraphInputs.ADJ, graph.normalizedAdjacency());
                int[][] pairs = data.bprPairs();
                int[] pairUserOrdered = pairs[0];
                int[] pairItemOrdered = pairs[1];
                int[] pairUser = new int[pairUserOrdered.length];
                int[] pairItem = new int[pairUserOrdered.length];
                NegativeSampler sampler = new NegativeSampler(data.itemsByUser, data.trainItems());
                MinibatchAssembler batches = new MinibatchAssembler(data.itemsByUser, n, sampler,
                        trainSpec.inputs().containsKey(GraphInputs.CL_ITEMS) || trainSpec.inputs().containsKey(GraphInputs.CL_USERS),
                        trainSpec.inputs().containsKey(GraphInputs.USER_SLOTS));
                Adam adam = new Adam(learningRate, 0.9f, 0.999f, 1e-8f, semanticWeightDecay,
                        name -> !name.equals("EU") && !name.equals("EI"));
                double keep = 1.0 - edgeDropRate;
                float[][] best = null;
                int bestEpoch = 0;
                double bestScale = Double.NaN;
                double semanticShare = Double.NaN;
                double[] scales = mods.isEmpty() ? new double[]{1.0} : semanticScaleValues();
                ViewFusion fusion = new ViewFusion(m, n, d, mods.isEmpty() ? null : data.trainItems(),
                        coldItemGraph(engine, mods, data, graphWeights));
                double bestRecall = Double.NEGATIVE_INFINITY;
                ScaleCurves curves = new ScaleCurves(scales.length);
                int firstEpoch = 1;
                TrainingCheckpoint resume = checkpointing.resumeFrom();
                if (resume != null) {
                    resume.checkSizes(m, n, d);
                    restore(resume, store, adam);
                    best = resume.bestUsers() == null ? null : new float[][]{resume.bestUsers(), resume.bestItems()};
                    bestEpoch = resume.bestEpoch();
                    bestRecall = resume.bestRecall();
                    bestScale = resume.bestScale();
                    if (resume.scaleBest().length != scales.length) {
                        throw new IllegalArgumentException("The checkpoint tracks " + resume.scaleBest().length + " semantic scales, "
                                + "this configuration " + scales.length);
                    }
                    curves = new ScaleCurves(resume.scaleBest(), resume.scaleSince());
                    history.addAll(resume.history());
                    firstEpoch = resume.epoch() + 1;
                    logger.info("Resuming after epoch " + resume.epoch() + " (best validation Recall@20 " + bestRecall + " at epoch " + bestEpoch + ")");
                }
                int lastCheckpoint = resume == null ? 0 : resume.epoch();
                try (TrainingStep step = new TrainingStep(engine.open(trainSpec), store.all(),
                        offload ? plan.offloads(engine, net, scaled) : List.of(), engine.env());
                     Session embed = engine.open(embedSpec);
                     Session dot = engine.open(ScoringGraphs.dotProducts(d))) {
                    logger.info(String.format(Locale.ROOT, "Training CRANE: %d users, %d items, %d interactions, %d modalities %s, %d parameters, %d graph nodes, provider %s, %d threads",
                            m, n, data.numPairs, mods.size(), java.util.Arrays.toString(dims), store.count(), trainSpec.nodeCount(),
                            engine.activeProvider(), engineConfig.resolvedThreads()));
                    boolean stopped = validRel != null && curves.exhausted(patience);
                    for (int epoch = firstEpoch; epoch <= maxEpochs && !stopped; epoch++) {
                        long t0 = System.nanoTime();
                        SplittableRandom pruneRng = epochRandom(epoch, 0);
                        SplittableRandom shuffleRng = epochRandom(epoch, 1);
                        SplittableRandom negRng = epochRandom(epoch, 2);
                        System.arraycopy(pairUserOrdered, 0, pairUser, 0, pairUser.length);
                        System.arraycopy(pairItemOrdered, 0, pairItem, 0, pairItem.length);
                        closeAll(adjacency);
                        adjacency = keep >= 1 ? null : Tensors.scaled(engine.env(), GraphInputs.ADJ, graph.normalizedAdjacency(graph.sampleEdges(keep, pruneRng)));
                        // the step picks each of its sessions' inputs from here by name
                        Map<String, OnnxTensor> feed = new HashMap<>(fixed);
                        feed.putAll(adjacency == null ? fullAdj : adjacency);
                        shuffle(pairUser, pairItem, shuffleRng);
                        double lossSum = 0;
                        int steps = 0;
                        for (int start = 0; start < pairUser.length; start += batchSize) {
                            int b = Math.min(batchSize, pairUser.length - start);
                            Map<String, OnnxTensor> batch = batches.assemble(engine.env(), pairUser, pairItem, start, b, negRng);
                            try {
                                feed.putAll(batch);
                                float loss = step.run(feed).get(CraneNetwork.LOSS);
                                if (!Float.isFinite(loss)) {
                                    throw new IllegalStateException("Training diverged: loss is " + loss + " at epoch " + epoch
                                            + ", minibatch " + (steps + 1) + " (try a smaller learningRate)"
                                            + (lastCheckpoint > 0 ? "; the last good checkpoint (epoch " + lastCheckpoint + ") is "
                                            + checkpointing.file() : ""));
                                }
                                lossSum += loss;
                                steps++;
                            } finally {
                                closeAll(batch);
                            }
                            adam.step(store.all());
                        }
                        double recall = Double.NaN;
                        double ndcg = Double.NaN;
                        double scale = Double.NaN;
                        float[][] emb = null;
                        if (validRel != null) {
                            emb = embeddings(embed, store, fixed, fullAdj, m, n, d);
                            ViewFusion.Views views = fusion.views(emb);
                            float[][] bestFused = null;
                            for (int s = 0; s < scales.length; s++) {
                                double beta = scales[s];
                                float[][] fused = views.at(beta);
                                try (EmbeddingScorer scorer = new EmbeddingScorer(dot, fused[0], fused[1], d, data.itemsByUser)) {
                                    Map<String, Double> metrics = new RankingEvaluator(20).evaluate(scorer, validRel).means();
                                    curves.record(s, metrics.get("Recall@20"));
                                    if (bestFused == null || metrics.get("Recall@20") > recall) {
                                        recall = metrics.get("Recall@20");
                                        ndcg = metrics.get("NDCG@20");
                                        scale = beta;
                                        bestFused = fused;
                                    }
                                }
                            }
                            if (recall > bestRecall) {
                                bestRecall = recall;
                                bestEpoch = epoch;
                                bestScale = scale;
                                best = bestFused;
                                if (!mods.isEmpty()) {
                                    semanticShare = ViewFusion.semanticShare(bestFused, views.behaviour(), validRel, d);
                                }
                            }
                        }
                        double secs = (System.nanoTime() - t0) / 1e9;
                        history.add(new CraneModel.EpochRecord(epoch, lossSum / steps, recall, ndcg, secs));
                        listener.epochEnded(history.get(history.size() - 1), maxEpochs, bestEpoch);
                        boolean stop = validRel != null && curves.exhausted(patience);
                        stopped = stop;
                        if (itemGraph && semanticGraphRefresh > 0 && epoch % semanticGraphRefresh == 0 && !stop) {
                            float[] z = (emb != null ? emb : embeddings(embed, store, fixed, fullAdj, m, n, d))[2];
                            refreshed = SemanticGraph.knn(engine, z, n, d, knnK);
                            for (String key : List.copyOf(fixed.keySet())) {
                                if (key.startsWith(GraphInputs.ITEM_GRAPH + "_")) {
                                    fixed.remove(key).close();
                                }
                            }
                            fixed.putAll(Tensors.scaled(engine.env(), GraphInputs.ITEM_GRAPH, itemGraph(engine, mods, refreshed, graphWeights)));
                        }
                        if (checkpointing.dueAfter(epoch)) {
                            checkpoint(epoch, store, adam, best, bestEpoch, bestRecall, bestScale, curves, history, refreshed);
                            lastCheckpoint = epoch;
                        }
                        if (epoch % logEvery == 0 || stop || epoch == maxEpochs) {
                            int left = validRel == null ? maxEpochs - epoch
                                    : Math.min(maxEpochs - epoch, patience - curves.epochsSinceAnyImproved());
                            logger.info(String.format(Locale.ROOT, "epoch %d: loss %.5f, valid Recall@20 %.4f, NDCG@20 %.4f (semantic scale %s; best %.4f at %d), %.2f s, ETA <= %.0f s",
                                    epoch, lossSum / steps, recall, ndcg, scale, bestRecall, bestEpoch, secs, left * secs));
                        }
                        if (stop) {
                            logger.info("Early stop after epoch " + epoch + "; best validation Recall@20 " + bestRecall + " at epoch " + bestEpoch);
                        }
                    }
                    if (best == null) {
                        // no validation data: the last epoch, with the semantic view at full scale
                        best = fusion.fuse(embeddings(embed, store, fixed, fullAdj, m, n, d), 1.0);
                        bestEpoch = history.size();
                        bestScale = 1.0;
                    }
                    if (!Double.isNaN(semanticShare)) {
                        logger.info(String.format(Locale.ROOT, "Best epoch %d at semantic scale %s: on the validation pairs the "
                                + "multimodal terms make %.1f %% of the mean score, the behaviour view the rest", bestEpoch, bestScale,
                                100 * semanticShare));
                    }
                    return new Result(best[0], best[1], bestEpoch, bestScale, graphWeights, history, engine.activeProvider());
                } finally {
                    closeAll(fullAdj);
                }
            } finally {
                closeAll(adjacency);
                closeAll(fixed);
            }
        }

        /**
         * A lower bound of what training holds at once: each parameter with its gradient and two Adam
         * moments, the best representations, and the propagated layers of the user-item graph; checked
         * before anything is allocated so that a large setting ends in a message with the estimate.
         */
        private static void requireMemory(java.util.Collection<long[]> shapes, int m, int n, int d, int layers) {
            String what = "Training " + m + " users and " + n + " items with embeddingSize=" + d;
            long values = 0;
            for (long[] shape : shapes) {
                long size = 1;
                for (long dim : shape) {
                    size = Math.multiplyExact(size, dim);
                }
                // one Java array (and one ONNX tensor buffer) per parameter: its size must be an int
                org.crane.data.MemoryBudget.arrayLength(size, what + ": a parameter of shape " + java.util.Arrays.toString(shape));
                values = Math.addExact(values, Math.multiplyExact(4L, size));
            }
            long rows = (long) m + n;
            org.crane.data.MemoryBudget.arrayLength(rows * d, what + ": the " + rows + " x " + d + " table of user and item representations");
            values = Math.addExact(values, Math.multiplyExact(rows * d, 2L + layers));
            org.crane.data.MemoryBudget.require(what, Math.multiplyExact(4L, values));
        }

        private void restore(TrainingCheckpoint c, ParameterStore store, Adam adam) {
            if (!c.parameters().keySet().equals(new java.util.LinkedHashSet<>(store.all().stream().map(Parameter::name).toList()))) {
                throw new IllegalArgumentException("The checkpoint's parameters " + org.crane.data.Excerpt.of(c.parameters().keySet().toString())
                        + " are not this network's");
            }
            for (Parameter p : store.all()) {
                TrainingCheckpoint.ParameterState s = c.parameters().get(p.name());
                if (s.value().length != p.size()) {
                    throw new IllegalArgumentException("The checkpoint's parameter '" + p.name() + "' has " + s.value().length
                            + " values, the network needs " + p.size());
                }
                p.setValues(s.value());
                p.setMoments(s.firstMoment(), s.secondMoment());
            }
            adam.setSteps(c.adamSteps());
        }

        private void checkpoint(int epoch, ParameterStore store, Adam adam, float[][] best, int bestEpoch, double bestRecall,
                                double bestScale, ScaleCurves curves,
                                List<CraneModel.EpochRecord> history, CooMatrix refreshedGraph) {
            Map<String, TrainingCheckpoint.ParameterState> params = new LinkedHashMap<>();
            for (Parameter p : store.all()) {
                params.put(p.name(), new TrainingCheckpoint.ParameterState(p.copyValues(), p.copyFirstMoment(), p.copySecondMoment()));
            }
            TrainingCheckpoint c = new TrainingCheckpoint(fingerprint, epoch, adam.steps(), params, bestEpoch, bestRecall, bestScale,
                    curves.best(), curves.since(),
                    best == null ? null : best[0], best == null ? null : best[1], history, checkpointing.arguments(), refreshedGraph);
            try {
                c.save(checkpointing.file());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write the checkpoint " + checkpointing.file() + ": " + e.getMessage(), e);
            }
            logger.fine("Checkpoint after epoch " + epoch + " in " + checkpointing.file());
        }

        private float[][] embeddings(Session embed, ParameterStore store, Map<String, OnnxTensor> fixed,
                                     Map<String, OnnxTensor> fullAdj, int m, int n, int d) {
            Map<String, OnnxTensor> all = new HashMap<>(fixed);
            all.putAll(fullAdj);
            Map<String, ai.onnxruntime.OnnxTensorLike> feed = new HashMap<>(embed.spec().inputsFrom(all::get));
            for (Parameter p : store.all()) {
                if (embed.spec().inputs().containsKey(p.name())) {
                    feed.put(p.name(), p.valueTensor());
                }
            }
            try (OrtSession.Result r = embed.run(feed, Map.of())) {
                float[] u = new float[m * d];
                float[] i = new float[n * d];
                ((OnnxTensor) r.get(CraneNetwork.USER_EMB).get()).getFloatBuffer().get(u);
                FloatBuffer fb = ((OnnxTensor) r.get(CraneNetwork.ITEM_EMB).get()).getFloatBuffer();
                fb.get(i);
                float[] z = null;
                if (r.get(CraneNetwork.ITEM_Z).isPresent()) {
                    z = new float[n * d];
                    ((OnnxTensor) r.get(CraneNetwork.ITEM_Z).get()).getFloatBuffer().get(z);
                }
                float[] ub = new float[m * d];
                float[] ib = new float[n * d];
                ((OnnxTensor) r.get(CraneNetwork.USER_BEHAVIOUR).get()).getFloatBuffer().get(ub);
                ((OnnxTensor) r.get(CraneNetwork.ITEM_BEHAVIOUR).get()).getFloatBuffer().get(ib);
                return new float[][]{u, i, z, ub, ib};
            }
        }
    }

    private static void shuffle(int[] a, int[] b, SplittableRandom rng) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
            t = b[k];
            b[k] = b[j];
            b[j] = t;
        }
    }

    private static void closeAll(Map<String, OnnxTensor> m) {
        if (m != null) {
            m.values().forEach(OnnxTensor::close);
        }
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

    /** Builder-style construction without XML; unset fields keep the method's defaults. */
    public static final class Builder {
        private final CraneTrainer t = new CraneTrainer();

        /** A builder with every default. */
        public Builder() {
        }

        /** @param v d. @return this. */
        public Builder embeddingSize(int v) { t.embeddingSize = v; return this; }
        /** @param v R. @return this. */
        public Builder recursions(int v) { t.recursions = v; return this; }
        /** @param v T. @return this. */
        public Builder tokens(int v) { t.tokens = v; return this; }
        /** @param v untie. @return this. */
        public Builder untieRecursions(boolean v) { t.untieRecursions = v; return this; }
        /** @param v profiles. @return this. */
        public Builder userProfiles(boolean v) { t.userProfiles = v; return this; }
        /** @param v L_ui. @return this. */
        public Builder userItemLayers(int v) { t.userItemLayers = v; return this; }
        /** @param v L_ii. @return this. */
        public Builder itemGraphLayers(int v) { t.itemGraphLayers = v; return this; }
        /** @param v also propagate item ID embeddings over the item-item graph. @return this. */
        public Builder itemGraphIds(boolean v) { t.itemGraphIds = v; return this; }
        /** @param v k. @return this. */
        public Builder knnK(int v) { t.knnK = v; return this; }
        /** @param v alpha_m. @return this. */
        public Builder modalityWeights(double... v) {
            t.modalityWeights = new ArrayList<>();
            for (double x : v) {
                t.modalityWeights.add(Double.toString(x));
            }
            return this;
        }
        /** @param v feature scaling. @return this. */
        public Builder featureScaling(org.crane.data.FeatureScaling v) { t.featureScaling = v; return this; }
        /** @param v how the two views share the objective. @return this. */
        public Builder semanticCoupling(CraneConfig.Coupling v) { t.semanticCoupling = v; return this; }
        /** @param v the semantic view's scales tried at each validation (none = 1 only). @return this. */
        public Builder semanticScales(double... v) {
            t.semanticScales = new ArrayList<>();
            for (double x : v) {
                t.semanticScales.add(Double.toString(x));
            }
            return this;
        }
        /** @param v cold items borrow their feature neighbours' behaviour. @return this. */
        public Builder coldItemsFromNeighbours(boolean v) { t.coldItemsFromNeighbours = v; return this; }
        /** @param v zero-initialise W_Z. @return this. */
        public Builder zeroInitSemanticOutput(boolean v) { t.zeroInitSemanticOutput = v; return this; }
        /** @param v epochs between rebuilds of the item graph from Z (0 = never). @return this. */
        public Builder semanticGraphRefresh(int v) { t.semanticGraphRefresh = v; return this; }
        /** @param v decoupled weight decay of the multimodal parameters. @return this. */
        public Builder semanticWeightDecay(float v) { t.semanticWeightDecay = v; return this; }
        /** @param v tau. @return this. */
        public Builder temperature(float v) { t.temperature = v; return this; }
        /** @param v lambda_cl. @return this. */
        public Builder contrastiveWeight(float v) { t.contrastiveWeight = v; return this; }
        /** @param v lambda_reg. @return this. */
        public Builder regWeight(float v) { t.regWeight = v; return this; }
        /** @param v rho. @return this. */
        public Builder edgeDropRate(float v) { t.edgeDropRate = v; return this; }
        /** @param v lr. @return this. */
        public Builder learningRate(float v) { t.learningRate = v; return this; }
        /** @param v batch. @return this. */
        public Builder batchSize(int v) { t.batchSize = v; return this; }
        /** @param v max epochs. @return this. */
        public Builder maxEpochs(int v) { t.maxEpochs = v; return this; }
        /** @param v patience. @return this. */
        public Builder patience(int v) { t.patience = v; return this; }
        /** @param v seed. @return this. */
        public Builder seed(long v) { t.seed = v; return this; }
        /** @param v threads. @return this. */
        public Builder threads(int v) { t.threads = v; return this; }
        /** @param v provider. @return this. */
        public Builder executionProvider(ExecutionProvider v) { t.executionProvider = v; return this; }
        /** @param v modalities. @return this. */
        public Builder itemFeatures(ItemFeatureSource v) { t.itemFeatures = v; return this; }
        /** @param v top-K in predictions. @return this. */
        public Builder topK(int v) { t.topK = v; return this; }
        /** @param v fallback. @return this. */
        public Builder popularityFallback(boolean v) { t.popularityFallback = v; return this; }
        /** @param v log interval. @return this. */
        public Builder logEvery(int v) { t.logEvery = v; return this; }

        /** @return the validated trainer. */
        public CraneTrainer build() {
            try {
                t.postConfig();
            } catch (com.oracle.labs.mlrg.olcut.config.PropertyException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return t;
        }
    }
}
