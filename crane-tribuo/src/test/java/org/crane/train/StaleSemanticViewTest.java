package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training graph of stale semantic views against the exact one, on one batch: with every item
 * fresh it is the exact step (loss and every gradient); with only the batch's items fresh and a cache
 * refreshed at the current parameters its loss is the exact loss (a refresh restores exactness), and a
 * cache from other parameters changes it (the cache is what the other items read).
 */
class StaleSemanticViewTest {
    private static final int N = TinyTrainingData.N;
    private static final CraneConfig CFG = new CraneConfig(8, 2, 2, false, true, 2, 1, 0.3f, 0.5f, 1e-3f, false);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final TinyTrainingData tiny = new TinyTrainingData(new SplittableRandom(23));
    private final CraneNetwork exact = new CraneNetwork(CFG, TinyTrainingData.M, N, TinyTrainingData.DIMS, new CraneNetwork.Layout(false, true));
    private final CraneNetwork stale = new CraneNetwork(CFG, TinyTrainingData.M, N, TinyTrainingData.DIMS,
            new CraneNetwork.Layout(false, true, true));
    private final Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
    private final Map<String, OnnxTensor> data = new HashMap<>(tiny.fixed);

    StaleSemanticViewTest() {
        MinibatchAssembler assembler = new MinibatchAssembler(tiny.items, N, new NegativeSampler(tiny.items, IntStream.range(0, N).toArray()),
                true, true);
        data.putAll(assembler.assemble(env, tiny.pairUser, tiny.pairItem, 5, 30, new SplittableRandom(9)));
    }

    @Test
    void everyItemFreshIsTheExactStep() {
        assertEquals(exact.parameterShapes().keySet(), stale.parameterShapes().keySet());
        Map<String, float[]> gE = new HashMap<>();
        Map<String, float[]> gS = new HashMap<>();
        float lossE = run(exact, Map.of(), gE);
        float[] junk = new float[N * CFG.embeddingSize()];
        java.util.Arrays.fill(junk, 3f);   // a cache whose every row is replaced
        float lossS = run(stale, staleInputs(IntStream.range(0, N).toArray(), junk), gS);
        assertEquals(lossE, lossS, 1e-6f * Math.abs(lossE));
        for (String p : gE.keySet()) {
            float[] a = gE.get(p);
            double scale = 1e-30;
            for (float x : a) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int q = 0; q < a.length; q++) {
                assertEquals(a[q], gS.get(p)[q], 1e-5 * scale, "gradient of " + p + "[" + q + "]");
            }
        }
    }

    @Test
    void aFreshCacheGivesTheExactLossAndAStaleOneDoesNot() {
        float[] z = itemZ();
        int[] fresh = FreshItems.of(data);
        assertTrue(fresh.length < N, "the batch leaves items to the cache");
        Map<String, float[]> gE = new HashMap<>();
        Map<String, float[]> gS = new HashMap<>();
        float lossE = run(exact, Map.of(), gE);
        float lossS = run(stale, staleInputs(fresh, z), gS);
        assertEquals(lossE, lossS, 1e-6f * Math.abs(lossE));
        // gradients reach the semantic parameters through the fresh rows only: not the exact ones
        assertNotEquals(java.util.Arrays.toString(gE.get("W0")), java.util.Arrays.toString(gS.get("W0")));
        float[] old = z.clone();
        for (int q = 0; q < old.length; q++) {
            old[q] *= 1.5f;
        }
        float lossOld = run(stale, staleInputs(fresh, old), new HashMap<>());
        assertTrue(Math.abs(lossOld - lossE) > 1e-4f * Math.abs(lossE), lossOld + " vs " + lossE);
    }

    private Map<String, OnnxTensor> staleInputs(int[] fresh, float[] cache) {
        Map<String, OnnxTensor> in = new HashMap<>(new FreshItems(tiny.features, N).inputs(env, fresh));
        in.put(GraphInputs.Z_CACHE, Tensors.floats(env, cache, N, CFG.embeddingSize()));
        return in;
    }

    /** @return Z of every item at the initial parameters, from the exact network's embedding graph. */
    private float[] itemZ() {
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = store(exact);
             Session s = engine.open(exact.embeddingGraph())) {
            Map<String, OnnxTensorLike> feed = new HashMap<>(s.spec().inputsFrom(data::get));
            for (Parameter p : store.all()) {
                if (s.spec().inputs().containsKey(p.name())) {
                    feed.put(p.name(), p.valueTensor());
                }
            }
            return s.runFloat(feed, CraneNetwork.ITEM_Z);
        }
    }

    private ParameterStore store(CraneNetwork net) {
        ParameterStore store = new ParameterStore(env);
        for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
            store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
        }
        return store;
    }

    private float run(CraneNetwork net, Map<String, OnnxTensor> extra, Map<String, float[]> grads) {
        Map<String, OnnxTensor> feed = new HashMap<>(data);
        feed.putAll(extra);
        try {
            return TinyTrainingData.run(net, init, feed, grads);
        } finally {
            extra.values().forEach(OnnxTensor::close);
        }
    }
}
