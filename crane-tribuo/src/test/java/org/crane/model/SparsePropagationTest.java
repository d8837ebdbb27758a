package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.graph.ScaledCoo;
import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Propagation at a realistic size with two threads: correct (no lost updates) and repeatable. */
class SparsePropagationTest {
    @Test
    void multiThreadedScatterAddIsCorrect() {
        Random rnd = new Random(11);
        int m = 3000;
        int n = 1500;
        int d = 64;
        int[][] items = new int[m][];
        for (int u = 0; u < m; u++) {
            items[u] = rnd.ints(5 + rnd.nextInt(20), 0, n).distinct().sorted().toArray();
        }
        ScaledCoo a = new InteractionGraph(m, n, items).normalizedAdjacency();
        CooMatrix coo = a.toCoo();
        float[] x = new float[(m + n) * d];
        for (int q = 0; q < x.length; q++) {
            x[q] = rnd.nextFloat() - 0.5f;
        }
        float[] want = coo.multiply(x, d);
        Program p = new Program();
        SparseInput s = SparseInput.scaled(p, GraphInputs.ADJ, m + n, m + n);
        // a dense product first (as in CRANE), so the graph gets the one-hot form and two threads
        Tensor xt = p.input("x", DType.FLOAT, m + n, d).matmul(p.constant(identity(d), d, d));
        Tensor y = s.times(xt);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(2));
             Session session = engine.open(OnnxGraphWriter.write("spmm", Map.of("y", y), Map.of()))) {
            Map<String, OnnxTensor> feed = new HashMap<>(Tensors.scaled(engine.env(), GraphInputs.ADJ, a));
            feed.put("x", Tensors.floats(engine.env(), x, m + n, d));
            // the CPU form: one-hot sparse products, no ScatterND, so the session really runs 2 threads
            assertTrue(session.spec().oneHots().size() == 1 && !session.spec().scatterAdd(), "one-hot form expected");
            assertTrue(session.spec().portableForm().scatterAdd(), "the portable form keeps ScatterND");
            float[] first = session.runFloat(feed, "y");
            double num = 0;
            double den = 0;
            for (int q = 0; q < want.length; q++) {
                num += (first[q] - want[q]) * (first[q] - want[q]);
                den += want[q] * want[q];
            }
            assertTrue(Math.sqrt(num / den) < 1e-5, "relative error " + Math.sqrt(num / den));
            for (int r = 0; r < 5; r++) {
                assertArrayEquals(first, session.runFloat(feed, "y"), "run " + r + " differs");
            }
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] identity(int d) {
        float[] eye = new float[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1f;
        }
        return eye;
    }

    @Test
    void aGraphWithoutDenseProductsKeepsScatterND() {
        Program p = new Program();
        Tensor y = SparseInput.scaled(p, GraphInputs.ADJ, 4, 4).times(p.input("x", DType.FLOAT, 4, 2));
        GraphSpec spec = OnnxGraphWriter.write("spmm", Map.of("y", y), Map.of());
        assertTrue(spec.scatterAdd() && spec.oneHots().isEmpty() && spec.portable() == null);
    }
}
