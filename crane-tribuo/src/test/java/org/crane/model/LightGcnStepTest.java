package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.junit.jupiter.api.Test;

import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.crane.testing.Numerics.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2-layer LightGCN + BPR step (CRANE with no modalities) in ONNX Runtime against a hand-written
 * float64 Java forward and backward pass that shares no code with the graph builder.
 */
class LightGcnStepTest {
    @Test
    void ortLossAndGradientsMatchJavaOracle() throws OrtException {
        Random rnd = new Random();
        int m = 30;
        int n = 20;
        int d = 8;
        int[][] items = new int[m][];
        for (int u = 0; u < m; u++) {
            items[u] = rnd.ints(2 + rnd.nextInt(4), 0, n).distinct().sorted().toArray();
        }
        InteractionGraph g = new InteractionGraph(m, n, items);
        org.crane.graph.ScaledCoo sa = g.normalizedAdjacency();
        CooMatrix a = sa.toCoo();
        CraneConfig cfg = new CraneConfig(d, 0, 1, false, false, 2, 0, 0.2f, 0f, 1e-2f, false);
        CraneNetwork net = new CraneNetwork(cfg, m, n, new int[0]);
        Map<String, float[]> init = net.initialValues(new SplittableRandom(rnd.nextLong()));
        int b = 16;
        long[] bu = new long[b];
        long[] bi = new long[b];
        long[] bj = new long[b];
        for (int k = 0; k < b; k++) {
            bu[k] = rnd.nextInt(m);
            bi[k] = items[(int) bu[k]][0];
            bj[k] = rnd.nextInt(n);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Float> out;
        float[] gU;
        float[] gI;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = new ParameterStore(env)) {
            for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
            }
            Map<String, OnnxTensor> data = new HashMap<>();
            data.putAll(org.crane.engine.Tensors.scaled(env, GraphInputs.ADJ, sa));
            data.put(GraphInputs.USERS, OnnxTensor.createTensor(env, LongBuffer.wrap(bu), new long[]{b}));
            data.put(GraphInputs.POS, OnnxTensor.createTensor(env, LongBuffer.wrap(bi), new long[]{b}));
            data.put(GraphInputs.NEG, OnnxTensor.createTensor(env, LongBuffer.wrap(bj), new long[]{b}));
            try (TrainingStep step = new TrainingStep(engine.open(net.trainingGraph()), store.all())) {
                out = step.run(data);
            }
            gU = copy(store.get("EU"));
            gI = copy(store.get("EI"));
            data.values().forEach(OnnxTensor::close);
        }
        // Java oracle in float64
        double[] e0 = new double[(m + n) * d];
        for (int q = 0; q < m * d; q++) {
            e0[q] = init.get("EU")[q];
        }
        for (int q = 0; q < n * d; q++) {
            e0[m * d + q] = init.get("EI")[q];
        }
        double[] e1 = spmm(a, e0, d, false);
        double[] e2 = spmm(a, e1, d, false);
        double[] eBar = new double[e0.length];
        for (int q = 0; q < eBar.length; q++) {
            eBar[q] = (e0[q] + e1[q] + e2[q]) / 3;
        }
        double bpr = 0;
        double reg = 0;
        double[] dBar = new double[e0.length];
        double[] dE0 = new double[e0.length];
        for (int k = 0; k < b; k++) {
            int u = (int) bu[k];
            int i = m + (int) bi[k];
            int j = m + (int) bj[k];
            double x = 0;
            for (int c = 0; c < d; c++) {
                x += eBar[u * d + c] * (eBar[i * d + c] - eBar[j * d + c]);
            }
            bpr += Math.log1p(Math.exp(-x)) / b;
            double coef = -1 / (1 + Math.exp(x)) / b;
            for (int c = 0; c < d; c++) {
                dBar[u * d + c] += coef * (eBar[i * d + c] - eBar[j * d + c]);
                dBar[i * d + c] += coef * eBar[u * d + c];
                dBar[j * d + c] -= coef * eBar[u * d + c];
                reg += (e0[u * d + c] * e0[u * d + c] + e0[i * d + c] * e0[i * d + c] + e0[j * d + c] * e0[j * d + c]) / b;
                dE0[u * d + c] += 2 * cfg.regWeight() * e0[u * d + c] / b;
                dE0[i * d + c] += 2 * cfg.regWeight() * e0[i * d + c] / b;
                dE0[j * d + c] += 2 * cfg.regWeight() * e0[j * d + c] / b;
            }
        }
        double[] t1 = spmm(a, dBar, d, true);
        double[] t2 = spmm(a, t1, d, true);
        for (int q = 0; q < dE0.length; q++) {
            dE0[q] += (dBar[q] + t1[q] + t2[q]) / 3;
        }
        double loss = bpr + cfg.regWeight() * reg;
        assertEquals(bpr, out.get(CraneNetwork.BPR), 1e-6 * Math.max(1, Math.abs(bpr)));
        assertEquals(loss, out.get(CraneNetwork.LOSS), 1e-6 * Math.max(1, Math.abs(loss)));
        double[] wantU = java.util.Arrays.copyOfRange(dE0, 0, m * d);
        double[] wantI = java.util.Arrays.copyOfRange(dE0, m * d, (m + n) * d);
        double errU = relErr(gU, wantU);
        double errI = relErr(gI, wantI);
        assertTrue(errU < 1e-5 && errI < 1e-5, "relative gradient error EU " + errU + ", EI " + errI);
    }

    static double[] spmm(CooMatrix a, double[] x, int d, boolean transpose) {
        double[] y = new double[(transpose ? a.cols() : a.rows()) * d];
        for (int k = 0; k < a.nnz(); k++) {
            int r = transpose ? a.col()[k] : a.row()[k];
            int c = transpose ? a.row()[k] : a.col()[k];
            for (int q = 0; q < d; q++) {
                y[r * d + q] += a.value()[k] * x[c * d + q];
            }
        }
        return y;
    }

    static float[] copy(Parameter p) {
        float[] f = new float[p.size()];
        p.grad().get(0, f);
        return f;
    }

}
