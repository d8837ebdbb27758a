package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchAssemblerTest {
    private static final int M = 40;
    private static final int N = 25;
    private static final int[] DIMS = {7, 5};

    /**
     * The training graph that computes profiles for the batch's users only (fed by the assembler)
     * against the one that computes every user's profile: the same loss and the same gradient for
     * every parameter, on a batch with repeated users and with the contrastive loss on.
     */
    @Test
    void batchProfilesGiveTheSameLossAndGradientsAsEveryUsersProfiles() {
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
        int[] pairUser = pu.stream().mapToInt(Integer::intValue).toArray();
        int[] pairItem = pi.stream().mapToInt(Integer::intValue).toArray();
        CraneConfig cfg = new CraneConfig(8, 2, 2, false, true, 2, 1, 0.3f, 0.5f, 1e-3f, false);
        CraneNetwork all = new CraneNetwork(cfg, M, N, DIMS, CraneNetwork.Layout.INLINE);
        CraneNetwork batch = new CraneNetwork(cfg, M, N, DIMS, new CraneNetwork.Layout(false, true));
        assertTrue(batch.trainingGraph().inputs().containsKey(GraphInputs.BATCH_USER_MEAN + "_rows"));
        assertTrue(!all.trainingGraph().inputs().containsKey(GraphInputs.BATCH_USER_MEAN + "_rows"));
        // W_Z non-zero: with W_Z = 0 the semantic view is exactly 0 and the contrastive gradient
        // passes through the normalisation of zero vectors (scale 1/eps), where only rounding is left
        Map<String, float[]> init = all.initialValues(new SplittableRandom(5), false);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        InteractionGraph g = new InteractionGraph(M, N, items);
        Map<String, OnnxTensor> fixed = new HashMap<>();
        float[][] raw = new float[DIMS.length][];
        for (int m = 0; m < DIMS.length; m++) {
            raw[m] = new float[N * DIMS[m]];
            for (int q = 0; q < raw[m].length; q++) {
                raw[m][q] = (float) rnd.nextGaussian();
            }
            fixed.put(GraphInputs.features(m), Tensors.floats(env, raw[m], N, DIMS[m]));
            float[] t = new float[raw[m].length];
            for (int r = 0; r < N; r++) {
                for (int c = 0; c < DIMS[m]; c++) {
                    t[c * N + r] = raw[m][r * DIMS[m] + c];
                }
            }
            fixed.put(GraphInputs.featuresTransposed(m), Tensors.floats(env, t, DIMS[m], N));
        }
        fixed.putAll(Tensors.scaled(env, GraphInputs.ADJ, g.normalizedAdjacency()));
        fixed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        List<CooMatrix> graphs = new java.util.ArrayList<>();
        for (int m = 0; m < DIMS.length; m++) {
            graphs.add(randomGraph(rnd));
        }
        fixed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, org.crane.model.SemanticGraph.stack(graphs, new double[]{0.3, 0.7}, DIMS.length)));
        // 30 pairs from the start of a shuffled order: users repeat inside the batch
        MinibatchAssembler assembler = new MinibatchAssembler(items, N, new NegativeSampler(items, java.util.stream.IntStream.range(0, N).toArray()), true, true);
        Map<String, OnnxTensor> in = assembler.assemble(env, pairUser, pairItem, 5, 30, new SplittableRandom(9));
        long[] slots = longs(in.get(GraphInputs.USER_SLOTS));
        long[] distinct = longs(in.get(GraphInputs.CL_USERS));
        long[] users = longs(in.get(GraphInputs.USERS));
        assertTrue(distinct.length < users.length, "the batch repeats users");
        for (int k = 0; k < users.length; k++) {
            assertEquals(users[k], distinct[(int) slots[k]], "slot of triple " + k);
        }
        fixed.putAll(in);

        Map<String, float[]> gradAll = new HashMap<>();
        Map<String, float[]> gradBatch = new HashMap<>();
        float lossAll = run(all, init, fixed, gradAll);
        float lossBatch = run(batch, init, fixed, gradBatch);
        fixed.values().forEach(OnnxTensor::close);
        assertEquals(lossAll, lossBatch, 1e-6f * Math.abs(lossAll));
        assertEquals(all.parameterShapes().keySet(), gradBatch.keySet());
        for (String p : gradAll.keySet()) {
            float[] a = gradAll.get(p);
            float[] b = gradBatch.get(p);
            double scale = 1e-30;
            for (float x : a) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int q = 0; q < a.length; q++) {
                assertEquals(a[q], b[q], 1e-5 * scale, "gradient of " + p + "[" + q + "]");
            }
        }
        assertTrue(maxAbs(gradAll.get("W0")) > 0, "the profile path reaches the projections");
    }

    @Test
    void assemblesDistinctUsersItemsAndProfileRowsInFirstSeenOrder() {
        int[][] items = {{0, 2}, {1}, {0, 1, 3}};
        int[] pairUser = {2, 0, 2, 1, 0, 2};
        int[] pairItem = {3, 2, 0, 1, 0, 1};
        MinibatchAssembler a = new MinibatchAssembler(items, 4, new NegativeSampler(items, new int[]{0, 1, 2, 3}), false, true);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int repeat = 0; repeat < 2; repeat++) { // scratch state is reset between batches
            Map<String, OnnxTensor> in = a.assemble(env, pairUser, pairItem, 1, 4, new SplittableRandom(1));
            assertArrayEquals(new long[]{0, 2, 1}, longs(in.get(GraphInputs.CL_USERS)));
            assertArrayEquals(new long[]{2, 0, 1}, longs(in.get(GraphInputs.CL_ITEMS)));
            assertArrayEquals(new long[]{0, 1, 2, 0}, longs(in.get(GraphInputs.USER_SLOTS)));
            assertArrayEquals(new long[]{0, 0, 1, 1, 1, 2}, longs(in.get(GraphInputs.BATCH_USER_MEAN + "_rows")));
            assertArrayEquals(new long[]{0, 2, 0, 1, 3, 1}, longs(in.get(GraphInputs.BATCH_USER_MEAN + "_cols")));
            FloatBuffer v = in.get(GraphInputs.BATCH_USER_MEAN + "_vals").getFloatBuffer();
            float[] vals = new float[v.remaining()];
            v.get(vals);
            assertArrayEquals(new float[]{0.5f, 0.5f, 1 / 3f, 1 / 3f, 1 / 3f, 1f}, vals);
            long[] neg = longs(in.get(GraphInputs.NEG));
            long[] users = longs(in.get(GraphInputs.USERS));
            for (int k = 0; k < neg.length; k++) {
                int[] seen = items[(int) users[k]];
                assertTrue(java.util.Arrays.binarySearch(seen, (int) neg[k]) < 0, "negative " + neg[k] + " unseen by user " + users[k]);
            }
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static float run(CraneNetwork net, Map<String, float[]> init, Map<String, OnnxTensor> data, Map<String, float[]> grads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = new ParameterStore(env)) {
            for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
            }
            float loss;
            try (TrainingStep step = new TrainingStep(engine.open(net.trainingGraph()), store.all())) {
                loss = step.run(data).get(CraneNetwork.LOSS);
            }
            for (Parameter p : store.all()) {
                FloatBuffer g = p.grad().duplicate();
                float[] v = new float[p.size()];
                g.rewind();
                g.get(v);
                grads.put(p.name(), v);
            }
            return loss;
        }
    }

    private static CooMatrix randomGraph(SplittableRandom rnd) {
        int k = 3;
        int[] rows = new int[N * k];
        int[] cols = new int[N * k];
        float[] vals = new float[N * k];
        for (int q = 0; q < rows.length; q++) {
            rows[q] = q / k;
            cols[q] = q % k == 0 ? q / k : rnd.nextInt(N);
            vals[q] = 1f / k;
        }
        return new CooMatrix(N, N, rows, cols, vals);
    }

    private static long[] longs(OnnxTensor t) {
        LongBuffer b = t.getLongBuffer();
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
