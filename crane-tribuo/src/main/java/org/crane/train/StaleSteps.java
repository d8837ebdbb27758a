package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.OrtEngine;
import org.crane.engine.ParameterStore;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Training with stale semantic views: every {@code every}-th step of an epoch (the first included)
 * refreshes the cache of every item's Z at the current parameters and runs the exact step; the steps
 * between run the stale-view graph ({@link CraneNetwork.Layout#staleSemantic()}), which recomputes Z
 * only for the batch's items and reads the cache for the rest. Each epoch starts with a refresh, so a
 * run resumed from an epoch's checkpoint takes the same steps as an uninterrupted one.
 */
final class StaleSteps implements AutoCloseable {
    private final int every;
    private final int numItems;
    private final int d;
    private final TrainingStep step;
    private final FreshItems fresh;
    private OnnxTensor cache;
    private long refreshNanos;
    private long inputNanos;
    private long staleNanos;
    private int refreshes;
    private int staleRuns;

    /**
     * @param engine the run's engine.
     * @param net the stale-view network (same configuration and parameters as the exact one).
     * @param store the parameters.
     * @param scaled the scaled raw features.
     * @param every refresh every this many steps (at least 2).
     */
    StaleSteps(OrtEngine engine, CraneNetwork net, ParameterStore store, List<FeatureMatrix> scaled, int every) {
        this.every = every;
        this.numItems = net.numItems();
        this.d = net.config().embeddingSize();
        this.step = new TrainingStep(engine.open(net.trainingGraph()), store.all());
        this.fresh = new FreshItems(scaled, numItems);
    }

    /**
     * One step's loss: the exact step after a refresh of the cache, or the stale-view step.
     * @param env the environment.
     * @param stepInEpoch the 0-based step within the epoch.
     * @param feed the step's inputs (the batch's are read; the fresh items' are added and removed again).
     * @param exact runs the exact step.
     * @param itemZ every item's Z at the current parameters (called on refresh steps only).
     * @return the loss.
     */
    float run(OrtEnvironment env, int stepInEpoch, Map<String, OnnxTensor> feed, Supplier<Float> exact, Supplier<float[]> itemZ) {
        long t0 = System.nanoTime();
        if (stepInEpoch % every == 0) {   // every epoch starts here, so the cache exists before a stale step
            if (cache != null) {
                cache.close();
            }
            cache = Tensors.floats(env, itemZ.get(), numItems, d);
            float loss = exact.get();
            refreshNanos += System.nanoTime() - t0;
            refreshes++;
            return loss;
        }
        Map<String, OnnxTensor> in = fresh.inputs(env, FreshItems.of(feed));
        Map<String, OnnxTensor> all = new HashMap<>(feed);
        all.putAll(in);
        all.put(GraphInputs.Z_CACHE, cache);
        long t1 = System.nanoTime();
        try {
            return step.run(all).get(CraneNetwork.LOSS);
        } finally {
            in.values().forEach(OnnxTensor::close);
            inputNanos += t1 - t0;
            staleNanos += System.nanoTime() - t1;
            staleRuns++;
        }
    }

    @Override
    public void close() {
        java.util.logging.Logger.getLogger(StaleSteps.class.getName()).info(String.format(java.util.Locale.ROOT,
                "Stale semantic views: %d refresh steps (exact, cache included) %.1f s; %d stale steps %.1f s, of which %.1f s assembling "
                        + "the fresh items' inputs", refreshes, refreshNanos / 1e9, staleRuns, (inputNanos + staleNanos) / 1e9, inputNanos / 1e9));
        if (cache != null) {
            cache.close();
        }
        step.close();
    }
}
