package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.SemanticGraph;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private static final int M = 40;
    private static final int N = 25;
    private static final int[] DIMS = {7, 5};
    private static final CraneConfig CFG = new CraneConfig(8, 2, 2, false, true, 2, 1, 0.3f, 0.5f, 1e-3f, false);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final CraneNetwork exact = new CraneNetwork(CFG, M, N, DIMS, new CraneNetwork.Layout(false, true));
    private final CraneNetwork stale = new CraneNetwork(CFG, M, N, DIMS, new CraneNetwork.Layout(false, true, true));
    private final Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
    private final Map<String, OnnxTensor> data = new HashMap<>();
    private final List<FeatureMatrix> features = new ArrayList<>();

    StaleSemanticViewTest() {
        SplittableRandom rnd = new SplittableRandom(23);
        int[][] items = new int[M][];
        List<Integer> pu = new ArrayList<>();
        List<Integer> pi = new ArrayList<>();
        for (int u = 0; u < M; u++) {
            items[u] = rnd.ints(1 + rnd.nextInt(5), 0, N).distinct().sorted().toArray();
            for (int i : items[u]) {
                pu.add(u);
                pi.add(i);
            }
        }
        for (int m = 0; m < DIMS.length; m++) {
            float[] raw = new float[N * DIMS[m]];
            for (int q = 0; q < raw.length; q++) {
                raw[q] = (float) rnd.nextGaussian();
            }
            FeatureMatrix f = new FeatureMatrix("m" + m, N, DIMS[m], raw);
            features.add(f);
            data.put(GraphInputs.features(m), Tensors.floats(env, raw, N, DIMS[m]));
            data.put(GraphInputs.featuresTransposed(m), Tensors.floats(env, f.transposedValues(), DIMS[m], N));
        }
        InteractionGraph g = new InteractionGraph(M, N, items);
        data.putAll(Tensors.scaled(env, GraphInputs.ADJ, g.normalizedAdjacency()));
        data.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        List<CooMatrix> graphs = new ArrayList<>();
        for (int m = 0; m < DIMS.length; m++) {
            int[] rows = new int[N * 3];
            int[] cols = new int[N * 3];
            float[] vals = new float[N * 3];
            for (int q = 0; q < rows.length; q++) {
                rows[q] = q / 3;
                cols[q] = q % 3 == 0 ? q / 3 : rnd.nextInt(N);
                vals[q] = 1f / 3;
            }
            graphs.add(new CooMatrix(N, N, rows, cols, vals));
        }
        data.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, SemanticGraph.stack(graphs, new double[]{0.3, 0.7}, DIMS.length)));
        MinibatchAssembler assembler = new MinibatchAssembler(items, N, new NegativeSampler(items, IntStream.range(0, N).toArray()), true, true);
        data.putAll(assembler.assemble(env, pu.stream().mapToInt(Integer::intValue).toArray(), pi.stream().mapToInt(Integer::intValue).toArray(),
                5, 30, new SplittableRandom(9)));
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
        Map<String, OnnxTensor> in = new HashMap<>(new FreshItems(features, N).inputs(env, fresh));
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
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = store(net);
             TrainingStep step = new TrainingStep(engine.open(net.trainingGraph()), store.all())) {
            float loss = step.run(feed).get(CraneNetwork.LOSS);
            for (Parameter p : store.all()) {
                FloatBuffer g = p.grad().duplicate();
                float[] v = new float[p.size()];
                g.rewind();
                g.get(v);
                grads.put(p.name(), v);
            }
            return loss;
        } finally {
            extra.values().forEach(OnnxTensor::close);
        }
    }
}
