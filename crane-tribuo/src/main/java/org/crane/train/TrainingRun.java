package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.crane.data.Excerpt;
import org.crane.data.FeatureMatrix;
import org.crane.data.ScaledFeatures;
import org.crane.engine.Optimizer;
import org.crane.engine.EngineConfig;
import org.crane.engine.ExecutionProvider;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.graph.ScaledCoo;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.LocalNetwork;
import org.crane.model.ScoringGraphs;
import org.crane.model.SemanticNetwork;
import org.crane.model.SemanticGraph;
import org.crane.onnx.GraphSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * One training run of a {@link CraneTrainer}: builds the network's graphs, owns the engine, sessions
 * and native tensors for its duration, runs the epochs (minibatch steps, validation, semantic graph
 * refresh, checkpoints) and returns the best representations. Early stopping lives in {@link BestSoFar},
 * the item graphs in {@link ItemGraphs}.
 */
final class TrainingRun {
    private static final Logger logger = Logger.getLogger(TrainingRun.class.getName());

    /** What a run returns: the best representations and what was chosen on the way. */
    record Result(float[] userEmb, float[] itemEmb, int bestEpoch, double semanticScale, double[] graphWeights,
                  List<CraneModel.EpochRecord> history, ExecutionProvider provider, CraneNetwork.Layout layout, boolean sparseProjection,
                  String knnGraph, int historyRefreshSteps, int semanticUpdateSteps, boolean javaProfiles) {
        /**
         * @param base the caller's run provenance.
         * @param resumed the checkpoint the run continued, or null.
         * @param threads the intra-op threads used.
         * @param multimodal whether the run had modalities.
         * @return the run provenance: the caller's, then what this run chose and used.
         */
        Map<String, Provenance> provenance(Map<String, Provenance> base, TrainingCheckpoint resumed, int threads, boolean multimodal) {
            Map<String, Provenance> p = new LinkedHashMap<>(base);
            if (resumed != null) {
                p.put("resumed-after-epoch", new IntProvenance("resumed-after-epoch", resumed.epoch()));
            }
            p.put("execution-provider-used", new StringProvenance("execution-provider-used", provider.name()));
            p.put("intra-op-threads", new IntProvenance("intra-op-threads", threads));
            p.put("best-epoch", new IntProvenance("best-epoch", bestEpoch));
            // the graph layouts change results in the last bits only, but a run records which one it used
            p.put("layout-offload-projection", new BooleanProvenance("layout-offload-projection", layout.offloadProjection()));
            p.put("layout-batch-profiles", new BooleanProvenance("layout-batch-profiles", layout.batchProfiles()));
            p.put("layout-sparse-projection", new BooleanProvenance("layout-sparse-projection", sparseProjection));
            if (multimodal) {
                // what knnIndex resolved to for this catalogue (auto chooses by size)
                p.put("knn-graph", new StringProvenance("knn-graph", knnGraph));
                p.put("layout-java-profiles", new BooleanProvenance("layout-java-profiles", javaProfiles));
                // what historyRefreshSteps resolved to: 1 = exact steps, S > 1 = local steps refreshed every S steps
                p.put("history-refresh-steps", new IntProvenance("history-refresh-steps", historyRefreshSteps));
                // what semanticUpdateSteps resolved to: 1 = the semantic view computed and updated in every step
                p.put("semantic-update-steps", new IntProvenance("semantic-update-steps", semanticUpdateSteps));
                p.put("semantic-scale", new DoubleProvenance("semantic-scale", semanticScale));
                if (graphWeights != null) {
                    p.put("modality-weights", new StringProvenance("modality-weights", java.util.Arrays.toString(graphWeights)));
                }
            }
            return p;
        }
    }

    private final CraneTrainer t;
    private final TrainingData data;
    private final List<FeatureMatrix> mods;
    private final int[][] validRel;
    private final EngineConfig engineConfig;
    private final TrainingListener listener;
    private final Checkpointing checkpointing;
    private final String fingerprint;
    private final ItemGraphs itemGraphs;
    private final CraneConfig cfg;
    private final int m;
    private final int n;
    private final int d;
    /** Inputs fed to every step: features, the item graph, the profile matrix. */
    private final Map<String, OnnxTensor> fixed = new HashMap<>();
    private Map<String, OnnxTensor> fullAdj;

    TrainingRun(CraneTrainer trainer, TrainingData data, List<FeatureMatrix> mods, int[][] validRel, EngineConfig engineConfig,
                TrainingListener listener, Checkpointing checkpointing, String fingerprint, ItemGraphs itemGraphs) {
        TrainingCheckpoint resume = checkpointing.resumeFrom();
        if (resume != null && !resume.fingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException("The checkpoint (epoch " + resume.epoch() + ") belongs to another configuration or data set: "
                    + "resume with the same data, modalities and trainer settings (only maxEpochs, patience, learningRate, threads, "
                    + "logEvery, topK, popularityFallback and executionProvider may change)");
        }
        this.t = trainer;
        this.data = data;
        this.mods = mods;
        this.validRel = validRel;
        this.engineConfig = engineConfig;
        this.listener = listener;
        this.checkpointing = checkpointing;
        this.fingerprint = fingerprint;
        this.itemGraphs = itemGraphs;
        this.cfg = trainer.networkConfig();
        this.m = data.users.size();
        this.n = data.numItems;
        this.d = cfg.embeddingSize();
    }

    /**
     * @param property a system property that switches a faster graph layout off when "false":
     *        {@code crane.offloadProjection} (projections in sessions of their own),
     *        {@code crane.batchProfiles} (profiles of the batch's users only),
     *        {@code crane.sparseProjection} or {@code crane.javaProfiles} (every user's profile by the
     *        sparse kernel, {@link UserProfiles}). The model is the same either way up to float rounding;
     *        tests compare the layouts, and the run's provenance records which one ran.
     * @return whether the layout is on.
     */
    static boolean layoutSwitch(String property) {
        return !"false".equals(System.getProperty(property));
    }

    Result execute() {
        int[] dims = mods.stream().mapToInt(FeatureMatrix::cols).toArray();
        SplittableRandom initRng = new SplittableRandom(t.seed).split();
        InteractionGraph graph = new InteractionGraph(m, n, data.itemsByUser);
        CraneNetwork.Layout layout = new CraneNetwork.Layout(!mods.isEmpty() && layoutSwitch("crane.offloadProjection"),
                layoutSwitch("crane.batchProfiles"));
        boolean offload = layout.offloadProjection();
        CraneNetwork net = new CraneNetwork(cfg, m, n, dims, layout);
        GraphSpec trainSpec = net.trainingGraph();
        // user profiles by the sparse kernel where it is there (the graphs then have none)
        UserProfiles profiles = UserProfiles.of(cfg, graph::userMeanMatrix, !mods.isEmpty()).orElse(null);
        // the embedding graph computes every user's final representation (profiles added by UserProfiles
        // when it has them), and reads the projections in the run's layout
        CraneConfig embedCfg = profiles == null ? cfg : CraneConfig.builder(cfg).userProfiles(false).build();
        GraphSpec embedSpec = new CraneNetwork(embedCfg, m, n, dims, new CraneNetwork.Layout(offload, false)).embeddingGraph(profiles != null);
        TrainingMemory.require(net.parameterShapes().values(), m, n, d, cfg.userItemLayers());
        Map<String, OnnxTensor> adjacency = null;
        try (OrtEngine engine = new OrtEngine(engineConfig);
             ParameterStore store = new ParameterStore(engine.env())) {
            Map<String, float[]> init = net.initialValues(initRng, t.zeroInitSemanticOutput);
            for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
            }
            List<ScaledFeatures> scaled = new ArrayList<>();
            for (FeatureMatrix raw : mods) {
                scaled.add(ScaledFeatures.of(raw, t.featureScaling));
            }
            int refreshEvery = t.historyRefreshSteps(data.numPairs, !mods.isEmpty());
            int semanticEvery = t.semanticUpdateSteps(data.numPairs, n, !mods.isEmpty());
            boolean local = refreshEvery > 1;
            boolean cachedSemantic = semanticEvery > 1;
            // local steps: the training graph computes the behaviour view of the batch's users and items only,
            // and with a cached semantic view it reads that view instead of computing it
            GraphSpec stepSpec = local ? new LocalNetwork(cfg, m, n, dims, offload, CraneNetwork.Parts.DEFAULT, cachedSemantic).trainingGraph()
                    : trainSpec;
            GraphSpec semanticSpec = cachedSemantic
                    ? new SemanticNetwork(cfg, m, n, dims, offload, net.encoder(), profiles == null).trainingGraph() : null;
            // the sparse Java kernel computes raw W + b: only for an affine encoder
            boolean sparse = offload && net.encoder().affine() && engine.activeProvider() == ExecutionProvider.CPU
                    && layoutSwitch("crane.sparseProjection");
            ProjectionPlan plan = ProjectionPlan.choose(scaled, sparse, d);
            feedFeatures(engine, scaled, plan, offload, cachedSemantic ? semanticSpec : stepSpec);
            boolean itemGraph = !mods.isEmpty() && cfg.itemGraphLayers() > 0;
            double[] graphWeights = itemGraph ? itemGraphs.weights(engine, data.itemsByUser) : null;
            CooMatrix refreshed = checkpointing.resumeFrom() == null ? null : checkpointing.resumeFrom().itemGraph();
            if (itemGraph) {
                fixed.putAll(Tensors.scaled(engine.env(), GraphInputs.ITEM_GRAPH, itemGraphs.stacked(engine, refreshed, graphWeights)));
            }
            if (!mods.isEmpty() && cfg.userProfiles()) {
                fixed.putAll(Tensors.coo(engine.env(), GraphInputs.USER_MEAN, graph.userMeanMatrix()));
            }
            ScaledCoo fullAdjMatrix = graph.normalizedAdjacency();
            fullAdj = Tensors.scaled(engine.env(), GraphInputs.ADJ, fullAdjMatrix);
            int[][] pairs = data.bprPairs();
            int[] pairUser = new int[pairs[0].length];
            int[] pairItem = new int[pairs[0].length];
            NegativeSampler sampler = new NegativeSampler(data.itemsByUser, data.trainItems());
            MinibatchAssembler batches = new MinibatchAssembler(data.itemsByUser, n, sampler,
                    stepSpec.inputs().containsKey(GraphInputs.CL_ITEMS) || stepSpec.inputs().containsKey(GraphInputs.CL_USERS),
                    stepSpec.inputs().containsKey(GraphInputs.USER_SLOTS));
            // the decoupled decay applies to the semantic view's parameters only, never to the ID embeddings
            Optimizer adam = t.optimizer.create(t.learningRate, t.semanticWeightDecay, name -> net.role(name).semantic());
            // with a cached semantic view the semantic parameters take their steps (and count them) apart
            Optimizer semanticAdam = cachedSemantic ? t.optimizer.create(t.learningRate, t.semanticWeightDecay, name -> true) : null;
            List<Parameter> stepParams = store.all().stream().filter(p -> !cachedSemantic || !net.role(p.name()).semantic()).toList();
            List<Parameter> semanticParams = store.all().stream().filter(p -> net.role(p.name()).semantic()).toList();
            double keep = 1.0 - t.edgeDropRate;
            BestSoFar best = new BestSoFar(mods.isEmpty() ? new double[]{1.0} : t.semanticScaleValues(), t.earlyStoppingMetric);
            ViewFusion fusion = new ViewFusion(m, n, d, mods.isEmpty() ? null : data.trainItems(),
                    itemGraphs.coldItemNeighbours(engine, data, graphWeights));
            List<CraneModel.EpochRecord> history = new ArrayList<>();
            int firstEpoch = 1;
            TrainingCheckpoint resume = checkpointing.resumeFrom();
            if (resume != null) {
                resume.checkSizes(m, n, d);
                restore(resume, store, adam);
                if (semanticAdam != null) {
                    // every epoch ends with an update, so the count follows from the epochs done
                    long stepsPerEpoch = (data.numPairs + t.batchSize - 1) / t.batchSize;
                    semanticAdam.setSteps(resume.epoch() * ((stepsPerEpoch + semanticEvery - 1) / semanticEvery));
                }
                best.restore(resume);
                history.addAll(resume.history());
                firstEpoch = resume.epoch() + 1;
                logger.info("Resuming after epoch " + resume.epoch() + " (best validation " + best.metric() + " " + best.value() + " at epoch " + best.epoch() + ")");
            }
            int lastCheckpoint = resume == null ? 0 : resume.epoch();
            try (TrainingStep step = new TrainingStep(engine.open(stepSpec), stepParams,
                    offload && !cachedSemantic ? plan.offloads(engine, net, scaled) : List.of(), engine.env());
                 Session embed = engine.open(embedSpec);
                 Session dot = engine.open(ScoringGraphs.dotProducts(d));
                 LocalSteps localSteps = !local ? null : new LocalSteps(engine, step, cfg, store, m, n, refreshEvery, !cachedSemantic ? null
                         : semanticCache(engine, net, dims, semanticSpec, offload ? plan.offloads(engine, net, scaled) : List.of(), store,
                         semanticParams, semanticAdam, semanticEvery, profiles))) {
                // the projections the embedding graph reads, by the offloads of the step that owns them
                java.util.function.UnaryOperator<Map<String, OnnxTensor>> projections = localSteps != null && localSteps.semanticView() != null
                        ? localSteps.semanticView()::offloadedValues : step::offloadedValues;
                logger.info(String.format(Locale.ROOT, "Training CRANE: %d users, %d items, %d interactions, %d modalities %s, %d parameters, %d graph nodes, provider %s, %d threads%s",
                        m, n, data.numPairs, mods.size(), java.util.Arrays.toString(dims), store.count(), stepSpec.nodeCount(),
                        engine.activeProvider(), engineConfig.resolvedThreads(), mods.isEmpty() ? "" : ", kNN graphs " + itemGraphs.index()
                                + (localSteps == null ? ", exact steps" : ", local steps, behaviour history refreshed every " + refreshEvery + " steps")
                                + (cachedSemantic ? ", semantic view cached and its parameters updated every " + semanticEvery + " steps" : "")));
                boolean stopped = validRel != null && best.exhausted(t.patience);
                for (int epoch = firstEpoch; epoch <= t.maxEpochs && !stopped; epoch++) {
                    long t0 = System.nanoTime();
                    SplittableRandom pruneRng = epochRandom(epoch, 0);
                    SplittableRandom shuffleRng = epochRandom(epoch, 1);
                    SplittableRandom negRng = epochRandom(epoch, 2);
                    System.arraycopy(pairs[0], 0, pairUser, 0, pairUser.length);
                    System.arraycopy(pairs[1], 0, pairItem, 0, pairItem.length);
                    closeAll(adjacency);
                    ScaledCoo epochAdj = keep >= 1 ? fullAdjMatrix : graph.normalizedAdjacency(graph.sampleEdges(keep, pruneRng));
                    adjacency = keep >= 1 ? null : Tensors.scaled(engine.env(), GraphInputs.ADJ, epochAdj);
                    if (localSteps != null) {
                        localSteps.adjacency(epochAdj);
                    }
                    // the step picks each of its sessions' inputs from here by name
                    Map<String, OnnxTensor> feed = new HashMap<>(fixed);
                    feed.putAll(adjacency == null ? fullAdj : adjacency);
                    shuffle(pairUser, pairItem, shuffleRng);
                    double loss = epochLoss(engine, step, localSteps, stepParams, adam, batches, feed, pairUser, pairItem, negRng, epoch,
                            lastCheckpoint);
                    BestSoFar.Validation v = BestSoFar.Validation.NONE;
                    float[][] emb = null;
                    if (validRel != null) {
                        emb = embeddings(embed, store, projections, profiles);
                        v = best.validate(epoch, fusion.views(emb), dot, d, data.itemsByUser, validRel, !mods.isEmpty());
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    history.add(new CraneModel.EpochRecord(epoch, loss, v.recall(), v.ndcg(), secs));
                    listener.epochEnded(history.get(history.size() - 1), t.maxEpochs, best.epoch());
                    boolean stop = validRel != null && best.exhausted(t.patience);
                    stopped = stop;
                    if (itemGraph && t.semanticGraphRefresh > 0 && epoch % t.semanticGraphRefresh == 0 && !stop) {
                        float[] z = (emb != null ? emb : embeddings(embed, store, projections, profiles))[2];
                        refreshed = SemanticGraph.knn(engine, z, n, d, t.knnK);
                        for (String key : List.copyOf(fixed.keySet())) {
                            if (key.startsWith(GraphInputs.ITEM_GRAPH + "_")) {
                                fixed.remove(key).close();
                            }
                        }
                        fixed.putAll(Tensors.scaled(engine.env(), GraphInputs.ITEM_GRAPH, itemGraphs.stacked(engine, refreshed, graphWeights)));
                    }
                    if (checkpointing.dueAfter(epoch)) {
                        checkpoint(epoch, store, adam, best, history, refreshed);
                        lastCheckpoint = epoch;
                    }
                    logEpoch(epoch, loss, v, best, secs, stop);
                }
                if (best.representations() == null) {
                    // no validation data: the last epoch, with the semantic view at full scale
                    best.keepLast(history.size(), fusion.fuse(embeddings(embed, store, projections, profiles), 1.0));
                }
                if (!Double.isNaN(best.semanticShare())) {
                    logger.info(String.format(Locale.ROOT, "Best epoch %d at semantic scale %s: on the validation pairs the "
                            + "multimodal terms make %.1f %% of the mean score, the behaviour view the rest", best.epoch(), best.scale(),
                            100 * best.semanticShare()));
                }
                float[][] r = best.representations();
                return new Result(r[0], r[1], best.epoch(), best.scale(), graphWeights, history, engine.activeProvider(), layout, sparse,
                        itemGraphs.index().toString(), refreshEvery, semanticEvery, profiles != null);
            }
        } finally {
            closeAll(adjacency);
            closeAll(fullAdj);
            closeAll(fixed);
        }
    }

    /**
     * The cached semantic view of local steps: its forward graph reads the raw features inline (as the
     * embedding graph does), its backward step the run's projection layout.
     */
    private SemanticCache semanticCache(OrtEngine engine, CraneNetwork net, int[] dims, GraphSpec backward,
                                        List<TrainingStep.Offload> offloads, ParameterStore store, List<Parameter> params,
                                        Optimizer optimizer, int every, UserProfiles profiles) {
        Session forward = engine.open(new SemanticNetwork(cfg, m, n, dims, !offloads.isEmpty(), net.encoder(), profiles == null).forwardGraph());
        try {
            return new SemanticCache(engine.env(), forward, new TrainingStep(engine.open(backward), params, offloads, engine.env()), store,
                    params, optimizer, m, n, d, every, profiles);
        } catch (RuntimeException e) {
            forward.close();
            offloads.forEach(TrainingStep.Offload::close);
            throw e;
        }
    }

    /**
     * Feeds the scaled values of the modalities ONNX Runtime projects; a sparse modality's projection is
     * computed by the sparse kernel from its non-zeros for every graph, which never reads its values.
     */
    private void feedFeatures(OrtEngine engine, List<ScaledFeatures> scaled, ProjectionPlan plan, boolean offload, GraphSpec trainSpec) {
        for (int k = 0; k < scaled.size(); k++) {
            if (plan.isSparse(k)) {
                continue;
            }
            FeatureMatrix f = scaled.get(k).materialise();
            fixed.put(GraphInputs.features(k), Tensors.floats(engine.env(), f.values(), f.rows(), f.cols()));
            if (offload || trainSpec.inputs().containsKey(GraphInputs.featuresTransposed(k))) {
                fixed.put(GraphInputs.featuresTransposed(k), Tensors.floats(engine.env(), f.transposedValues(), f.cols(), f.rows()));
            }
        }
    }

    /** One epoch of minibatch steps; returns the mean loss, or stops the run on a non-finite one. */
    private double epochLoss(OrtEngine engine, TrainingStep step, LocalSteps local, List<Parameter> params, Optimizer adam,
                             MinibatchAssembler batches, Map<String, OnnxTensor> feed, int[] pairUser, int[] pairItem,
                             SplittableRandom negRng, int epoch, int lastCheckpoint) {
        double lossSum = 0;
        int steps = 0;
        for (int start = 0; start < pairUser.length; start += t.batchSize) {
            int b = Math.min(t.batchSize, pairUser.length - start);
            Map<String, OnnxTensor> batch = batches.assemble(engine.env(), pairUser, pairItem, start, b, negRng);
            try {
                feed.putAll(batch);
                float loss = local == null ? step.run(feed).get(CraneNetwork.LOSS) : local.run(engine.env(), steps, feed);
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
            adam.step(params);
        }
        if (local != null) {
            local.endEpoch(engine.env(), feed);
        }
        return lossSum / steps;
    }

    private void logEpoch(int epoch, double loss, BestSoFar.Validation v, BestSoFar best, double secs, boolean stop) {
        if (epoch % t.logEvery == 0 || stop || epoch == t.maxEpochs) {
            int left = validRel == null ? t.maxEpochs - epoch : Math.min(t.maxEpochs - epoch, t.patience - best.epochsSinceAnyImproved());
            logger.info(String.format(Locale.ROOT, "epoch %d: loss %.5f, valid Recall@20 %.4f, NDCG@20 %.4f (semantic scale %s; best %s %.4f at %d), %.2f s, ETA <= %.0f s",
                    epoch, loss, v.recall(), v.ndcg(), v.scale(), best.metric(), best.value(), best.epoch(), secs, left * secs));
        }
        if (stop) {
            logger.info("Early stop after epoch " + epoch + "; best validation " + best.metric() + " " + best.value() + " at epoch " + best.epoch());
        }
    }

    /**
     * The generator of one random stream in one epoch, derived from the seed alone, so that a
     * resumed run draws exactly what an uninterrupted one would.
     */
    private SplittableRandom epochRandom(int epoch, int stream) {
        return new SplittableRandom(t.seed ^ (0x9E3779B97F4A7C15L * epoch) ^ (0xBF58476D1CE4E5B9L * (stream + 1)));
    }

    private void restore(TrainingCheckpoint c, ParameterStore store, Optimizer adam) {
        if (!c.parameters().keySet().equals(new java.util.LinkedHashSet<>(store.all().stream().map(Parameter::name).toList()))) {
            throw new IllegalArgumentException("The checkpoint's parameters " + Excerpt.of(c.parameters().keySet().toString())
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

    private void checkpoint(int epoch, ParameterStore store, Optimizer adam, BestSoFar best, List<CraneModel.EpochRecord> history,
                            CooMatrix refreshedGraph) {
        Map<String, TrainingCheckpoint.ParameterState> params = new LinkedHashMap<>();
        for (Parameter p : store.all()) {
            params.put(p.name(), new TrainingCheckpoint.ParameterState(p.copyValues(), p.copyFirstMoment(), p.copySecondMoment()));
        }
        float[][] r = best.representations();
        TrainingCheckpoint c = new TrainingCheckpoint(fingerprint, epoch, adam.steps(), params, best.epoch(), best.value(), best.scale(),
                best.curves().best(), best.curves().since(), r == null ? null : r[0], r == null ? null : r[1], history,
                checkpointing.arguments(), refreshedGraph);
        try {
            c.save(checkpointing.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot write the checkpoint " + checkpointing.file() + ": " + e.getMessage(), e);
        }
        logger.fine("Checkpoint after epoch " + epoch + " in " + checkpointing.file());
    }

    /**
     * Runs the embedding graph.
     * @param embed its session.
     * @param store the parameters.
     * @param projections the offloaded projections at the current parameters, from the run's inputs
     *        (empty when the graphs compute them inline).
     * @param profiles the user profiles to add, or null when the graph has them.
     * @return {users, items, item semantic z (or null), user behaviour, item behaviour}.
     */
    private float[][] embeddings(Session embed, ParameterStore store, java.util.function.UnaryOperator<Map<String, OnnxTensor>> projections,
                                 UserProfiles profiles) {
        Map<String, OnnxTensor> all = new HashMap<>(fixed);
        all.putAll(fullAdj);
        all.putAll(projections.apply(fixed));
        try (OrtSession.Result r = embed.run(store.feed(embed.spec(), all::get), Map.of())) {
            float[] z = null;
            if (r.get(CraneNetwork.ITEM_Z).isPresent()) {
                z = read(r, CraneNetwork.ITEM_Z, n);
            }
            float[] users = read(r, CraneNetwork.USER_EMB, m);
            if (r.get(CraneNetwork.ITEM_SEMANTIC).isPresent()) {
                profiles.addTo(read(r, CraneNetwork.ITEM_SEMANTIC, n), users);
            }
            return new float[][]{users, read(r, CraneNetwork.ITEM_EMB, n), z,
                    read(r, CraneNetwork.USER_BEHAVIOUR, m), read(r, CraneNetwork.ITEM_BEHAVIOUR, n)};
        }
    }

    private float[] read(OrtSession.Result r, String name, int rows) {
        float[] a = new float[rows * d];
        ((OnnxTensor) r.get(name).get()).getFloatBuffer().get(a);
        return a;
    }

    private static void shuffle(int[] a, int[] b, SplittableRandom rng) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int x = a[k];
            a[k] = a[j];
            a[j] = x;
            x = b[k];
            b[k] = b[j];
            b[j] = x;
        }
    }

    private static void closeAll(Map<String, OnnxTensor> m) {
        if (m != null) {
            m.values().forEach(OnnxTensor::close);
        }
    }
}
