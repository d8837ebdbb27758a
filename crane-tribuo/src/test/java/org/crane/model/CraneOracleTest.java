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
import org.crane.graph.ScaledCoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.crane.testing.Numerics.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled CRANE training graph, every part on (recursions, tokens, user profiles, both graphs,
 * both InfoNCE terms, the L2 penalty), against an independent float64 implementation of the
 * equations ({@link CraneOracle}): the loss, BPR and contrastive outputs agree, and the gradient of
 * every parameter agrees with central differences of the oracle's loss (with the behaviour view held
 * fixed where the coupling stops gradients). The graph computes in float32, so the tolerances are
 * float32's: {@value #LOSS_REL} relative on the losses, {@value #GRAD_ABS} absolute plus
 * {@value #GRAD_REL} relative on the gradients.
 */
class CraneOracleTest {
    static final double LOSS_REL = 1e-6;
    static final double GRAD_ABS = 2e-6;
    static final double GRAD_REL = 2e-4;
    private static final int M = 7;
    private static final int N = 9;
    private static final int D = 8;
    private static final int[] DIMS = {5, 3};

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("JOINT, shared recursions, one item-graph layer",
                        new CraneConfig(D, 2, 2, false, true, 2, 1, 0.3f, 0.5f, 1e-2f, false, CraneConfig.Coupling.JOINT)),
                Arguments.of("RESIDUAL, untied recursions, two item-graph layers, item IDs on the item graph",
                        new CraneConfig(D, 2, 2, true, true, 3, 2, 0.2f, 0.7f, 1e-2f, true, CraneConfig.Coupling.RESIDUAL)),
                Arguments.of("RESIDUAL_ALIGNED, one recursion, four tokens",
                        new CraneConfig(D, 1, 4, false, true, 1, 1, 0.5f, 0.3f, 1e-2f, false, CraneConfig.Coupling.RESIDUAL_ALIGNED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theTrainingGraphComputesTheEquationsAndTheirGradients(String name, CraneConfig cfg) {
        Random rnd = new Random(name.hashCode());
        int[][] items = new int[M][];
        for (int u = 0; u < M; u++) {
            items[u] = rnd.ints(2 + rnd.nextInt(3), 0, N).distinct().sorted().toArray();
        }
        InteractionGraph g = new InteractionGraph(M, N, items);
        ScaledCoo adj = g.normalizedAdjacency();
        ScaledCoo itemGraph = SemanticGraph.stack(List.of(randomGraph(rnd), randomGraph(rnd)), new double[]{0.3, 0.7}, 2);
        CooMatrix userMean = g.userMeanMatrix();
        float[][] raw = new float[DIMS.length][];
        double[][][] features = new double[DIMS.length][][];
        for (int k = 0; k < DIMS.length; k++) {
            raw[k] = gaussian(rnd, N * DIMS[k], 1);
            features[k] = CraneOracle.mat(toDouble(raw[k]), N, DIMS[k]);
        }
        CraneNetwork net = new CraneNetwork(cfg, M, N, DIMS, CraneNetwork.Layout.INLINE);
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
            long size = 1;
            for (long s : e.getValue()) {
                size *= s;
            }
            params.put(e.getKey(), gaussian(rnd, (int) size, 0.4));
        }
        int[] users = {0, 1, 2, 3, 5, 6};
        int[] pos = IntStream.of(users).map(u -> items[u][0]).toArray();
        int[] neg = IntStream.of(users).map(u -> (items[u][items[u].length - 1] + 1) % N).toArray();
        int[] clItems = IntStream.of(pos).distinct().toArray();
        int[] clUsers = IntStream.of(users).distinct().toArray();
        CraneOracle.Batch batch = new CraneOracle.Batch(users, pos, neg, clItems, clUsers);

        Map<String, float[]> ort = run(net, params, adj, itemGraph, userMean, raw, batch);
        CraneOracle oracle = new CraneOracle(cfg, M, N, features, dense(adj.toCoo()), dense(itemGraph.toCoo()), dense(userMean));
        Map<String, double[]> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, toDouble(v)));
        CraneOracle.Frozen frozen = oracle.behaviour(p);
        CraneOracle.Losses want = oracle.losses(p, batch, frozen);
        assertTrue(want.cl() > 0.1 && want.bpr() > 0.1, "every term is active: " + want);
        assertEquals(want.total(), ort.get(CraneNetwork.LOSS)[0], LOSS_REL * Math.abs(want.total()), "loss");
        assertEquals(want.bpr(), ort.get(CraneNetwork.BPR)[0], LOSS_REL * Math.abs(want.bpr()), "BPR");
        assertEquals(want.cl(), ort.get(CraneNetwork.CL)[0], LOSS_REL * Math.abs(want.cl()), "InfoNCE");
        // the objective is a list of terms: one more term adds its weighted value and nothing else
        LossTerm extra = new LossTerm() {
            @Override
            public String name() {
                return "half-bpr-again";
            }

            @Override
            public Weighted build(BatchViews v) {
                return new Weighted(LossTerms.FUSED_BPR.build(v).value(), 0.5f);
            }
        };
        List<LossTerm> terms = new java.util.ArrayList<>(LossTerms.defaults());
        terms.add(extra);
        Map<String, float[]> more = run(new CraneNetwork(cfg, M, N, DIMS, CraneNetwork.Layout.INLINE, new CraneNetwork.Parts(ModalityEncoder.LINEAR, terms)), params, adj, itemGraph,
                userMean, raw, batch);
        assertEquals(want.total() + 0.5 * want.bpr(), more.get(CraneNetwork.LOSS)[0], LOSS_REL * Math.abs(want.total()), "loss with a term more");

        double h = 1e-5;
        int checked = 0;
        double worstLoss = Math.max(Math.abs(want.total() - ort.get(CraneNetwork.LOSS)[0]) / Math.abs(want.total()),
                Math.max(Math.abs(want.bpr() - ort.get(CraneNetwork.BPR)[0]) / want.bpr(), Math.abs(want.cl() - ort.get(CraneNetwork.CL)[0]) / want.cl()));
        double worstGrad = 0;
        for (String param : params.keySet()) {
            double[] theta = p.get(param);
            float[] grad = ort.get(TrainingStep.GRAD_PREFIX + param);
            assertEquals(theta.length, grad.length, param);
            for (int q : coordinates(rnd, theta.length)) {
                double keep = theta[q];
                theta[q] = keep + h;
                double up = oracle.losses(p, batch, frozen).total();
                theta[q] = keep - h;
                double down = oracle.losses(p, batch, frozen).total();
                theta[q] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, grad[q], GRAD_ABS + GRAD_REL * Math.abs(fd), param + "[" + q + "]: central difference " + fd);
                worstGrad = Math.max(worstGrad, Math.abs(fd - grad[q]) / (GRAD_ABS + GRAD_REL * Math.abs(fd)));
                checked++;
            }
        }
        assertTrue(checked > 90, "checked " + checked + " gradient entries");
        System.out.printf(java.util.Locale.ROOT, "CraneOracleTest %s: %d gradient entries; worst loss relative error %.2e; worst gradient error %.2f of its tolerance%n",
                name, checked, worstLoss, worstGrad);
    }

    /** Up to eight coordinates of a parameter, the first and the last among them. */
    private static int[] coordinates(Random rnd, int size) {
        return IntStream.concat(IntStream.of(0, size - 1), rnd.ints(6, 0, size)).distinct().toArray();
    }

    private static Map<String, float[]> run(CraneNetwork net, Map<String, float[]> params, ScaledCoo adj, ScaledCoo itemGraph,
                                            CooMatrix userMean, float[][] raw, CraneOracle.Batch b) {
        OrtEnvironment env = org.crane.engine.OrtRuntime.environment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        TestFeeds.parameters(env, feed, net, params);
        feed.putAll(Tensors.scaled(env, GraphInputs.ADJ, adj));
        feed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, itemGraph));
        feed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, userMean));
        for (int k = 0; k < raw.length; k++) {
            org.crane.data.FeatureMatrix f = new org.crane.data.FeatureMatrix("m" + k, N, DIMS[k], raw[k]);
            feed.put(GraphInputs.features(k), Tensors.floats(env, raw[k], N, DIMS[k]));
            feed.put(GraphInputs.featuresTransposed(k), Tensors.floats(env, f.transposedValues(), DIMS[k], N));
        }
        feed.put(GraphInputs.USERS, Tensors.longs(env, b.users(), b.users().length));
        feed.put(GraphInputs.POS, Tensors.longs(env, b.pos(), b.pos().length));
        feed.put(GraphInputs.NEG, Tensors.longs(env, b.neg(), b.neg().length));
        feed.put(GraphInputs.CL_ITEMS, Tensors.longs(env, b.clItems(), b.clItems().length));
        feed.put(GraphInputs.CL_USERS, Tensors.longs(env, b.clUsers(), b.clUsers().length));
        Map<String, float[]> out = new HashMap<>();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             Session s = engine.open(net.trainingGraph())) {
            for (String o : s.spec().outputs()) {
                out.put(o, s.runFloat(s.spec().inputsFrom(feed::get), o));
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        return out;
    }

    private static CooMatrix randomGraph(Random rnd) {
        int nnz = 3 * N;
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        float[] v = new float[nnz];
        for (int q = 0; q < nnz; q++) {
            r[q] = q % N;
            c[q] = rnd.nextInt(N);
            v[q] = 1f;
        }
        return new CooMatrix(N, N, r, c, v);
    }

    private static double[][] dense(CooMatrix a) {
        double[][] x = new double[a.rows()][a.cols()];
        for (int q = 0; q < a.nnz(); q++) {
            x[a.row()[q]][a.col()[q]] += a.value()[q];
        }
        return x;
    }

    private static float[] gaussian(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int q = 0; q < n; q++) {
            a[q] = (float) (scale * rnd.nextGaussian());
        }
        return a;
    }

}
