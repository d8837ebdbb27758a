package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.OrtEngine;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.SparseKernel;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.ScaledCoo;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.LocalNetwork;

import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Training with local steps ({@link LocalNetwork}): every {@code every}-th step of an epoch (the first
 * included) recomputes the behaviour view's history (layers 2 to L of every node) at the current
 * parameters, and every step runs the local training graph over it. Each epoch starts with a
 * refresh, so a run resumed from an epoch's checkpoint takes the same steps as an uninterrupted one.
 */
final class LocalSteps implements AutoCloseable {
    private static final Logger logger = Logger.getLogger(LocalSteps.class.getName());
    private final int every;
    private final int numUsers;
    private final int numItems;
    private final int d;
    private final ParameterStore store;
    private final TrainingStep step;
    /** The history's session, or null when {@link #javaHistory} computes it (or L_ui < 2). */
    private final Session history;
    private final BehaviourHistory javaHistory;
    private final LocalBatch batch;
    /** The cached semantic view, or null when the step graph computes it. */
    private final SemanticCache semantic;
    private final int layers;
    /** The ID embeddings, whose first-layer products and gradients run here. */
    private final org.crane.engine.Parameter userIds;
    private final org.crane.engine.Parameter itemIds;
    private OnnxTensor cache;
    private java.nio.FloatBuffer cacheValues;
    /** The adjacency {@link #batch} holds rows of (the same every epoch without edge dropout). */
    private ScaledCoo adjacency;
    private long refreshNanos;
    private long inputNanos;
    private long stepNanos;
    private int refreshes;
    private int steps;
    private long adjacencyEntries;
    private long localItems;

    /**
     * @param engine the run's engine.
     * @param step the local network's training step (the caller closes it).
     * @param cfg the configuration.
     * @param store the parameters.
     * @param numUsers M.
     * @param numItems N.
     * @param every refresh every this many steps (at least 2).
     * @param semantic the cached semantic view the step graph reads, or null when it computes the view (closed with this).
     */
    LocalSteps(OrtEngine engine, TrainingStep step, CraneConfig cfg, ParameterStore store, int numUsers, int numItems, int every,
               SemanticCache semantic) {
        this.semantic = semantic;
        this.layers = cfg.userItemLayers();
        this.userIds = store.get("EU");
        this.itemIds = store.get("EI");
        this.every = every;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.d = cfg.embeddingSize();
        this.store = store;
        this.step = step;
        this.javaHistory = cfg.userItemLayers() < 2 ? null
                : SparseKernel.vectorised(d).map(k -> new BehaviourHistory(k, numUsers + numItems, d, cfg.userItemLayers())).orElse(null);
        this.history = cfg.userItemLayers() >= 2 && javaHistory == null ? engine.open(LocalNetwork.historyGraph(cfg, numUsers, numItems)) : null;
        this.batch = new LocalBatch(numUsers, numItems);
    }

    /** @return the cached semantic view, or null when the step graph computes it. */
    SemanticCache semanticView() {
        return semantic;
    }

    /** @param a the normalised user-item adjacency the coming steps train on. */
    void adjacency(ScaledCoo a) {
        if (a != adjacency) {
            CooMatrix coo = a.toCoo();
            batch.adjacency(coo);
            if (javaHistory != null) {
                javaHistory.adjacency(coo);
            }
            adjacency = a;
        }
    }

    /**
     * One local step, after a refresh of the history on every {@code every}-th step.
     * @param env the environment.
     * @param stepInEpoch the 0-based step within the epoch.
     * @param feed the step's inputs: the batch's, the epoch's adjacency and the run's fixed inputs.
     * @return the loss.
     */
    float run(OrtEnvironment env, int stepInEpoch, Map<String, OnnxTensor> feed) {
        long t0 = System.nanoTime();
        if ((history != null || javaHistory != null) && stepInEpoch % every == 0) {   // every epoch starts here, so the history exists before any step
            refresh(env, feed);
            refreshNanos += System.nanoTime() - t0;
            refreshes++;
        }
        if (semantic != null) {
            semantic.beforeStep(env, stepInEpoch, feed);
        }
        long t1 = System.nanoTime();
        long[] users = longs(feed, GraphInputs.CL_USERS);
        LocalBatch.Step s = batch.build(env, longs(feed, GraphInputs.POS), longs(feed, GraphInputs.NEG), users,
                longs(feed, GraphInputs.CL_ITEMS));
        Map<String, OnnxTensorLike> all = new HashMap<>(feed);
        all.putAll(s.inputs());
        if (cache != null) {
            all.put(GraphInputs.BEHAVIOUR_CACHE, cache);
        }
        Map<String, OnnxTensor> views = new HashMap<>();
        CooMatrix userRows = s.userRows();
        CooMatrix itemRows = s.itemRows();
        if (layers >= 1) {
            views.put(GraphInputs.USER_FIRST_LAYER, Tensors.floats(env, FirstLayer.forward(userRows, itemIds.value(), d), userRows.rows(), d));
            views.put(GraphInputs.ITEM_FIRST_LAYER, Tensors.floats(env, FirstLayer.forward(itemRows, userIds.value(), d), itemRows.rows(), d));
        }
        if (semantic != null) {
            views.putAll(semantic.inputs(env, s.items(), users));
        }
        all.putAll(views);
        java.util.function.BiConsumer<String, OnnxTensor> semanticGrads = semantic == null ? null : semantic.gradients(s.items(), users);
        long t2 = System.nanoTime();
        try {
            return step.run(all, (name, grad) -> {
                if (name.equals(TrainingStep.GRAD_PREFIX + GraphInputs.USER_FIRST_LAYER)) {
                    FirstLayer.backward(userRows, grad.getFloatBuffer(), itemIds.grad(), d);
                } else if (name.equals(TrainingStep.GRAD_PREFIX + GraphInputs.ITEM_FIRST_LAYER)) {
                    FirstLayer.backward(itemRows, grad.getFloatBuffer(), userIds.grad(), d);
                } else if (semanticGrads != null) {
                    semanticGrads.accept(name, grad);
                }
            }).get(CraneNetwork.LOSS);
        } finally {
            s.inputs().values().forEach(OnnxTensor::close);
            views.values().forEach(OnnxTensor::close);
            adjacencyEntries += s.adjacencyEntries();
            localItems += s.items().length;
            inputNanos += t2 - t1;
            stepNanos += System.nanoTime() - t2;
            steps++;
        }
    }

    /**
     * At an epoch's end: applies the semantic gradients still pending.
     * @param env the environment.
     * @param feed the run's inputs.
     */
    void endEpoch(OrtEnvironment env, Map<String, OnnxTensor> feed) {
        if (semantic != null) {
            semantic.update(env, feed);
        }
    }

    /** Recomputes the history into {@link #cache}: one native buffer for the whole run, written by the engine in place. */
    private void refresh(OrtEnvironment env, Map<String, OnnxTensor> feed) {
        if (cache == null) {
            cacheValues = Tensors.staging(Math.multiplyExact(numUsers + numItems, d));
            cache = Tensors.over(env, cacheValues, (long) numUsers + numItems, d);
        }
        if (javaHistory != null) {
            javaHistory.refresh(userIds.value(), itemIds.value(), cacheValues);
        } else {
            history.runInto(store.feed(history.spec(), feed::get), Map.of(LocalNetwork.HISTORY, cache));
        }
    }

    private static long[] longs(Map<String, OnnxTensor> feed, String name) {
        OnnxTensor t = feed.get(name);
        if (t == null) {
            throw new IllegalStateException("A local step needs the batch input '" + name + "'");
        }
        LongBuffer b = t.getLongBuffer().duplicate();
        b.rewind();
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }

    @Override
    public void close() {
        int n = Math.max(1, steps);
        logger.info(String.format(Locale.ROOT, "Local steps: %d steps %.1f s, of which %.1f s assembling their inputs; %d refreshes of the "
                        + "history %.1f s; per step %d local items and %d user-item entries", steps, (inputNanos + stepNanos) / 1e9,
                inputNanos / 1e9, refreshes, refreshNanos / 1e9, localItems / n, adjacencyEntries / n));
        if (semantic != null) {
            double[] secs = semantic.seconds();
            logger.info(String.format(Locale.ROOT, "Cached semantic view: %d updates of the semantic parameters %.1f s, its recomputation "
                    + "%.1f s", semantic.updates(), secs[1], secs[0]));
            semantic.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (history != null) {
            history.close();
        }
    }
}
