package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchAssemblerTest {
    private static final int M = TinyTrainingData.M;
    private static final int N = TinyTrainingData.N;
    private static final int[] DIMS = TinyTrainingData.DIMS;

    /**
     * The training graph that computes profiles for the batch's users only (fed by the assembler)
     * against the one that computes every user's profile: the same loss and the same gradient for
     * every parameter, on a batch with repeated users and with the contrastive loss on.
     */
    @Test
    void batchProfilesGiveTheSameLossAndGradientsAsEveryUsersProfiles() {
        TinyTrainingData tiny = new TinyTrainingData(new SplittableRandom(23));
        int[][] items = tiny.items;
        int[] pairUser = tiny.pairUser;
        int[] pairItem = tiny.pairItem;
        CraneConfig cfg = new CraneConfig(8, 2, 2, false, true, 2, 1, 0.3f, 0.5f, 1e-3f, false);
        CraneNetwork all = new CraneNetwork(cfg, M, N, DIMS, CraneNetwork.Layout.INLINE);
        CraneNetwork batch = new CraneNetwork(cfg, M, N, DIMS, new CraneNetwork.Layout(false, true));
        assertTrue(batch.trainingGraph().inputs().containsKey(GraphInputs.BATCH_USER_MEAN + "_rows"));
        assertTrue(!all.trainingGraph().inputs().containsKey(GraphInputs.BATCH_USER_MEAN + "_rows"));
        // W_Z non-zero: with W_Z = 0 the semantic view is exactly 0 and the contrastive gradient
        // passes through the normalisation of zero vectors (scale 1/eps), where only rounding is left
        Map<String, float[]> init = all.initialValues(new SplittableRandom(5), false);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> fixed = new HashMap<>(tiny.fixed);
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
        float lossAll = TinyTrainingData.run(all, init, fixed, gradAll);
        float lossBatch = TinyTrainingData.run(batch, init, fixed, gradBatch);
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
