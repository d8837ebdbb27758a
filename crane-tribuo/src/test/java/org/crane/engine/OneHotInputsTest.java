package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.onnx.Autodiff;
import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-hot form of row scatter-adds: what it derives, exactness with two threads, and bad indices. */
class OneHotInputsTest {
    /** Gradient of a table gathered twice (by two index inputs): one scatter over both index lists. */
    private static GraphSpec twoGathers(int rows, int d) {
        Program p = new Program();
        Tensor table = p.input("T", DType.FLOAT, rows, d);
        Tensor u = p.input("u", DType.INT64, -1);
        Tensor v = p.input("v", DType.INT64, -1);
        Tensor loss = table.gatherRows(u).mul(table.gatherRows(v)).sumAll();
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put("loss", loss);
        outs.put("grad:T", Autodiff.gradients(loss, List.of(table)).get(table));
        return OnnxGraphWriter.write("two_gathers", outs, Map.of());
    }

    @Test
    void gatherGradientsBecomeOneHotProductsThatAddDuplicatesExactly() {
        int rows = 50;
        int d = 64;
        GraphSpec spec = twoGathers(rows, d);
        assertEquals(1, spec.oneHots().size(), "both gathers share one scatter");
        assertEquals(java.util.Set.of("u", "v"), java.util.Set.copyOf(spec.oneHots().get(0).indices()));
        assertEquals(rows, spec.oneHots().get(0).rows());
        assertTrue(!spec.scatterAdd() && spec.portableForm().scatterAdd());
        Random rnd = new Random(3);
        float[] t = new float[rows * d];
        for (int i = 0; i < t.length; i++) {
            t[i] = rnd.nextFloat() - 0.5f;
        }
        // heavy duplicates: 20,000 updates into 50 rows, where a racy scatter-add loses some
        long[] u = rnd.longs(20_000, 0, rows).toArray();
        long[] v = rnd.longs(20_000, 0, rows).toArray();
        // d/dT of sum_k <T[u_k], T[v_k]>: row r gets T[v_k] where u_k = r and T[u_k] where v_k = r
        double[] want = new double[rows * d];
        for (int k = 0; k < u.length; k++) {
            for (int c = 0; c < d; c++) {
                want[(int) u[k] * d + c] += t[(int) v[k] * d + c];
                want[(int) v[k] * d + c] += t[(int) u[k] * d + c];
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(2));
             Session session = engine.open(spec)) {
            Map<String, OnnxTensor> feed = new HashMap<>();
            feed.put("T", Tensors.floats(env, t, rows, d));
            feed.put("u", Tensors.longs(env, u));
            feed.put("v", Tensors.longs(env, v));
            assertThrows(EngineException.class, () -> session.run(Map.of("T", feed.get("T"), "u", feed.get("u")), Map.of()),
                    "a missing index input is named");
            float[] first = null;
            for (int run = 0; run < 4; run++) {
                float[] got = session.runFloat(feed, "grad:T");
                double err = 0;
                for (int i = 0; i < got.length; i++) {
                    err = Math.max(err, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
                }
                assertTrue(err < 1e-4, "run " + run + ": relative error " + err);
                if (first == null) {
                    first = got;
                } else {
                    assertArrayEquals(first, got, "run " + run + " differs from the first");
                }
            }
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void anIndexOutsideTheTableIsNamed() {
        GraphSpec spec = twoGathers(10, 4);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor u = Tensors.longs(env, new long[]{1, 2, 3});
             OnnxTensor v = Tensors.longs(env, new long[]{4, 10})) {
            EngineException e = assertThrows(EngineException.class, () -> OneHotInputs.fresh(env, spec, Map.of("u", u, "v", v)));
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().contains("Index 10 at position 1 of input 'v'") && e.getMessage().contains("10 rows"), e.getMessage());
        }
    }
}
