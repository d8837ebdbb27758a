package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CraneConfig.Coupling#RESIDUAL}: the ID embeddings receive exactly the gradient that
 * LightGCN (the same network without modalities) gives them, whatever the features, while the
 * semantic parameters still learn; with {@link CraneConfig.Coupling#JOINT} the features change the
 * ID embeddings' gradient. Checked on the training graph in ONNX Runtime.
 */
class SemanticCouplingTest {
    private static final int M = 12;
    private static final int N = 10;
    private static final int D = 8;
    private static final int[] DIMS = {5, 3};

    @Test
    void residualCouplingGivesTheIdEmbeddingsLightGcnsGradient() {
        Map<String, float[]> lightGcn = gradients(null);
        Map<String, float[]> residual = gradients(CraneConfig.Coupling.RESIDUAL);
        Map<String, float[]> joint = gradients(CraneConfig.Coupling.JOINT);
        for (String p : List.of("EU", "EI")) {
            float[] want = lightGcn.get(p);
            float[] got = residual.get(p);
            double scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 1e-4, "LightGCN's gradient of " + p + " is not negligible: " + scale);
            for (int q = 0; q < want.length; q++) {
                assertEquals(want[q], got[q], 1e-6 * Math.max(1, scale), p + " entry " + q);
            }
            assertTrue(maxAbsDiff(want, joint.get(p)) > 1e-3 * scale, "JOINT coupling changes " + p + "'s gradient");
        }
        for (String p : List.of("W0", "W1", "WZ", "WJ")) {
            float[] g = residual.get(p);
            double norm = 0;
            for (float v : g) {
                norm += v * v;
            }
            assertTrue(norm > 1e-12, "the semantic parameter " + p + " still learns under RESIDUAL coupling");
        }
    }

    @Test
    void everyInitializerOfTheEmittedGraphsIsRead() throws Exception {
        // ONNX Runtime warns about (and drops) initializers no node reads; the writer must not emit any
        for (CraneConfig.Coupling c : CraneConfig.Coupling.values()) {
            CraneConfig cfg = new CraneConfig(D, 2, 2, false, true, 2, 1, 0.2f, 0.5f, 1e-4f, false, c);
            CraneNetwork net = new CraneNetwork(cfg, M, N, DIMS);
            for (org.crane.onnx.GraphSpec spec : List.of(net.trainingGraph(), net.embeddingGraph())) {
                ai.onnx.proto.OnnxMl.GraphProto g = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(spec.model()).getGraph();
                java.util.Set<String> read = new java.util.HashSet<>();
                g.getNodeList().forEach(n -> read.addAll(n.getInputList()));
                g.getOutputList().forEach(o -> read.add(o.getName()));
                for (ai.onnx.proto.OnnxMl.TensorProto init : g.getInitializerList()) {
                    assertTrue(read.contains(init.getName()), c + ": initializer " + init.getName() + " is never read");
                }
                assertTrue(g.getInitializerCount() > 0, "the graph has constants to check");
            }
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int q = 0; q < a.length; q++) {
            m = Math.max(m, Math.abs(a[q] - b[q]));
        }
        return m;
    }

    /** Training-graph gradients of every parameter; coupling null = LightGCN (no modalities). */
    private static Map<String, float[]> gradients(CraneConfig.Coupling coupling) {
        Random rnd = new Random(3);
        int[][] items = new int[M][];
        for (int u = 0; u < M; u++) {
            items[u] = rnd.ints(2 + rnd.nextInt(4), 0, N).distinct().sorted().toArray();
        }
        InteractionGraph g = new InteractionGraph(M, N, items);
        CraneConfig cfg = new CraneConfig(D, 1, 2, false, true, 2, 1, 0.2f, 0.5f, 1e-4f, false,
                coupling == null ? CraneConfig.Coupling.JOINT : coupling);
        int[] dims = coupling == null ? new int[0] : DIMS;
        CraneNetwork net = new CraneNetwork(cfg, M, N, dims);
        // the same ID embeddings for every network: EU and EI are created first from one stream
        Map<String, float[]> init = net.initialValues(new SplittableRandom(11));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        TestFeeds.parameters(env, feed, net, init);
        feed.putAll(Tensors.scaled(env, GraphInputs.ADJ, g.normalizedAdjacency()));
        CooMatrix eye = new CooMatrix(N, N, java.util.stream.IntStream.range(0, N).toArray(),
                java.util.stream.IntStream.range(0, N).toArray(), filled(N, 1f));
        feed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, SemanticGraph.stack(List.of(eye, eye), new double[]{0.5, 0.5}, 2)));
        feed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        TestFeeds.randomFeatures(env, feed, new Random(5), N, DIMS);
        feed.put(GraphInputs.USERS, Tensors.longs(env, new long[]{0, 1, 2, 3, 4}));
        feed.put(GraphInputs.POS, Tensors.longs(env, new long[]{items[0][0], items[1][0], items[2][0], items[3][0], items[4][0]}));
        feed.put(GraphInputs.NEG, Tensors.longs(env, new long[]{9, 8, 7, 6, 5}));
        feed.put(GraphInputs.CL_USERS, Tensors.longs(env, new long[]{0, 1, 2, 3, 4}));
        feed.put(GraphInputs.CL_ITEMS, Tensors.longs(env, java.util.stream.IntStream.of(items[0][0], items[1][0], items[2][0], items[3][0],
                items[4][0]).distinct().asLongStream().toArray()));
        Map<String, float[]> out = new HashMap<>();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             Session s = engine.open(net.trainingGraph())) {
            for (String p : net.parameterShapes().keySet()) {
                out.put(p, s.runFloat(s.spec().inputsFrom(feed::get), TrainingStep.GRAD_PREFIX + p));
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        return out;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
