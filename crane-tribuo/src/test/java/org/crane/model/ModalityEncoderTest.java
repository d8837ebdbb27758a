package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.OrtRuntime;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.crane.testing.Numerics.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A modality encoder other than the linear projection plugs in as one class: the network creates its
 * parameters (role PROJECTION), and the layout that encodes outside the training graph derives its
 * forward and backward graphs from it, giving the encoder's parameters the same gradients as the
 * training graph that encodes inline.
 */
class ModalityEncoderTest {
    private static final int M = 6;
    private static final int N = 8;
    private static final int D = 8;
    private static final int[] DIMS = {5, 3};

    /** x_m = s_m * tanh(raw U_m + c_m): a non-linear encoder with a per-column scale. */
    private static final ModalityEncoder SCALED_TANH = new ModalityEncoder() {
        @Override
        public Map<String, long[]> parameters(int m, int rawDim, int d) {
            Map<String, long[]> p = new LinkedHashMap<>();
            p.put("U" + m, new long[]{rawDim, d});
            p.put("c" + m, new long[]{d});
            p.put("s" + m, new long[]{d});
            return p;
        }

        @Override
        public Tensor encode(Tensor raw, Map<String, Tensor> params, int m) {
            return raw.matmul(params.get("U" + m)).add(params.get("c" + m)).tanh().mul(params.get("s" + m));
        }
    };

    @Test
    void aNonLinearEncoderTrainsTheSameInEitherLayout() {
        CraneConfig cfg = CraneConfig.builder().embeddingSize(D).tokens(2).userItemLayers(2).contrastiveWeight(0.3f).build();
        CraneNetwork.Parts parts = new CraneNetwork.Parts(SCALED_TANH, LossTerms.defaults());
        CraneNetwork inline = new CraneNetwork(cfg, M, N, DIMS, CraneNetwork.Layout.INLINE, parts);
        CraneNetwork offload = new CraneNetwork(cfg, M, N, DIMS, new CraneNetwork.Layout(true, false), parts);
        for (String p : List.of("U0", "c0", "s0", "U1", "c1", "s1")) {
            assertEquals(ParameterRole.PROJECTION, inline.role(p), p);
            assertEquals(ParameterRole.PROJECTION, offload.role(p), p);
        }
        assertTrue(!inline.parameterShapes().containsKey(ProjectionGraphs.weight(0)), "no linear projection's weights");
        assertEquals(inline.parameterShapes().keySet(), offload.parameterShapes().keySet());

        Random rnd = new Random(17);
        Map<String, float[]> values = new LinkedHashMap<>();
        inline.parameterShapes().forEach((name, shape) -> {
            long size = 1;
            for (long s : shape) {
                size *= s;
            }
            values.put(name, gaussian(rnd, (int) size));
        });
        OrtEnvironment env = OrtRuntime.environment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT)) {
            fill(env, feed, inline, values, rnd);
            Map<String, float[]> want = run(engine, inline.trainingGraph(), feed);

            // offloaded: encode in the forward graph, train on x_m, turn the x_m gradients into the parameters' gradients
            Map<String, float[]> encoded = run(engine, offload.projectionForwardGraph(0, 1), feed);
            for (int m = 0; m < DIMS.length; m++) {
                feed.put(GraphInputs.projected(m), Tensors.floats(env, encoded.get(GraphInputs.projected(m)), N, D));
            }
            Map<String, float[]> training = run(engine, offload.trainingGraph(), feed);
            assertEquals(want.get(CraneNetwork.LOSS)[0], training.get(CraneNetwork.LOSS)[0], 1e-5, "the same loss");
            for (int m = 0; m < DIMS.length; m++) {
                String g = TrainingStep.GRAD_PREFIX + GraphInputs.projected(m);
                feed.put(g, Tensors.floats(env, training.get(g), N, D));
            }
            Map<String, float[]> derived = run(engine, offload.projectionBackwardGraph(0, 1), feed);
            for (String p : List.of("U0", "c0", "s0", "U1", "c1", "s1")) {
                float[] a = want.get(TrainingStep.GRAD_PREFIX + p);
                float[] b = derived.get(TrainingStep.GRAD_PREFIX + p);
                assertTrue(relErr(b, a) < 1e-5, p + ": the derived backward graph's gradient, relative error " + relErr(b, a));
                assertTrue(relErr(a, new float[a.length]) > 0.01, p + " has a gradient to compare");
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static Map<String, float[]> run(OrtEngine engine, GraphSpec spec, Map<String, OnnxTensor> feed) {
        Map<String, float[]> out = new HashMap<>();
        try (Session s = engine.open(spec)) {
            for (String o : spec.outputs()) {
                out.put(o, s.runFloat(s.spec().inputsFrom(feed::get), o));
            }
        }
        return out;
    }

    private static void fill(OrtEnvironment env, Map<String, OnnxTensor> feed, CraneNetwork net, Map<String, float[]> values, Random rnd) {
        int[][] items = new int[M][];
        for (int u = 0; u < M; u++) {
            items[u] = rnd.ints(3, 0, N).distinct().sorted().toArray();
        }
        InteractionGraph g = new InteractionGraph(M, N, items);
        TestFeeds.parameters(env, feed, net, values);
        feed.putAll(Tensors.scaled(env, GraphInputs.ADJ, g.normalizedAdjacency()));
        CooMatrix eye = new CooMatrix(N, N, java.util.stream.IntStream.range(0, N).toArray(),
                java.util.stream.IntStream.range(0, N).toArray(), new float[]{1, 1, 1, 1, 1, 1, 1, 1});
        feed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, SemanticGraph.stack(List.of(eye, eye), new double[]{0.5, 0.5}, 2)));
        feed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        TestFeeds.randomFeatures(env, feed, rnd, N, DIMS);
        feed.put(GraphInputs.USERS, Tensors.longs(env, new long[]{0, 1, 2, 3}));
        feed.put(GraphInputs.POS, Tensors.longs(env, new long[]{items[0][0], items[1][0], items[2][0], items[3][0]}));
        feed.put(GraphInputs.NEG, Tensors.longs(env, new long[]{7, 6, 5, 4}));
        feed.put(GraphInputs.CL_USERS, Tensors.longs(env, new long[]{0, 1, 2, 3}));
        feed.put(GraphInputs.CL_ITEMS, Tensors.longs(env, java.util.stream.IntStream.of(items[0][0], items[1][0], items[2][0], items[3][0])
                .distinct().asLongStream().toArray()));
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int q = 0; q < n; q++) {
            a[q] = (float) (0.4 * rnd.nextGaussian());
        }
        return a;
    }
}
