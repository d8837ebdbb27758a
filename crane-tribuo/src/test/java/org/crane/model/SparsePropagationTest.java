package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.graph.ScaledCoo;
import org.crane.onnx.Autodiff;
import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.crane.testing.Numerics.relErr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Propagation at a realistic size with two threads: correct, repeatable, and scatter-free. */
class SparsePropagationTest {
    @Test
    void multiThreadedPropagationAndItsGradientAreCorrect() {
        Random rnd = new Random(11);
        int m = 3000;
        int n = 1500;
        int d = 64;
        int[][] items = new int[m][];
        for (int u = 0; u < m; u++) {
            // users without items (and items nobody chose) give empty rows
            items[u] = u % 97 == 0 ? new int[0] : rnd.ints(1 + rnd.nextInt(30), 0, n - 20).distinct().sorted().toArray();
        }
        ScaledCoo a = new InteractionGraph(m, n, items).normalizedAdjacency();
        CooMatrix coo = a.toCoo();
        float[] x = random(rnd, (m + n) * d);
        float[] r = random(rnd, (m + n) * d);
        float[] want = coo.multiply(x, d);
        // d/dx sum(r * A x) = A^T r; A is symmetric, so the oracle is A r
        float[] wantGrad = coo.multiply(r, d);
        Program p = new Program();
        SparseInput s = SparseInput.scaled(p, GraphInputs.ADJ, m + n, m + n);
        Tensor xt = p.input("x", DType.FLOAT, m + n, d);
        Tensor y = s.times(xt);
        Tensor dx = Autodiff.gradients(y.mul(p.input("r", DType.FLOAT, m + n, d)).sumAll(), List.of(xt)).get(xt);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(2));
             Session session = engine.open(OnnxGraphWriter.write("spmm", Map.of("y", y, "dx", dx), Map.of()))) {
            // no scatter-add in either direction: the session really runs on two threads
            assertTrue(!session.spec().scatterAdd() && session.spec().oneHots().isEmpty(), "scatter-free graph expected");
            Map<String, OnnxTensor> feed = new HashMap<>(Tensors.scaled(engine.env(), GraphInputs.ADJ, a));
            feed.put("x", Tensors.floats(engine.env(), x, m + n, d));
            feed.put("r", Tensors.floats(engine.env(), r, m + n, d));
            float[] first = session.runFloat(feed, "y");
            assertTrue(relErr(first, want) < 1e-5, "relative error " + relErr(first, want));
            float[] grad = session.runFloat(feed, "dx");
            assertTrue(relErr(grad, wantGrad) < 1e-5, "gradient relative error " + relErr(grad, wantGrad));
            for (int k = 0; k < 5; k++) {
                assertArrayEquals(first, session.runFloat(feed, "y"), "run " + k + " differs");
            }
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] random(Random rnd, int size) {
        float[] v = new float[size];
        for (int q = 0; q < v.length; q++) {
            v[q] = rnd.nextFloat() - 0.5f;
        }
        return v;
    }


    @Test
    void aGatherGradientTakesTheOneHotForm() {
        // LightGCN's graph: propagation by neighbour lists, and a scatter-add only for the gradient
        // of the batch's gathers, emitted as a one-hot product (two threads, exact) on the CPU
        Program p = new Program();
        Tensor x = p.input("x", DType.FLOAT, 4, 2);
        Tensor y = SparseInput.scaled(p, GraphInputs.ADJ, 4, 4).times(x);
        Tensor loss = y.gatherRows(p.input("u", DType.INT64, -1)).sumAll();
        GraphSpec spec = OnnxGraphWriter.write("lightgcn", Map.of("g", Autodiff.gradients(loss, List.of(x)).get(x)), Map.of());
        assertTrue(!spec.scatterAdd() && spec.oneHots().size() == 1, "one-hot form expected");
        assertTrue(spec.portableForm().scatterAdd(), "the portable form keeps ScatterND");
    }
}
