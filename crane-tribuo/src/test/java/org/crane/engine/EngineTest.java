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

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {
    /** loss = sum((x W - y)^2) / n; gradient wrt W; data x, y fixed. */
    private static GraphSpec regression(int n, int din, int dout) {
        Program p = new Program();
        Tensor x = p.input("x", DType.FLOAT, n, din);
        Tensor y = p.input("y", DType.FLOAT, n, dout);
        Tensor w = p.input("W", DType.FLOAT, din, dout);
        Tensor r = x.matmul(w).sub(y);
        Tensor loss = r.mul(r).sumAll().mul(1f / n);
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put("loss", loss);
        outs.put(TrainingStep.GRAD_PREFIX + "W", Autodiff.gradients(loss, List.of(w)).get(w));
        return OnnxGraphWriter.write("reg", outs, Map.of());
    }

    @Test
    void adamMatchesItsDefinitionAndTrainsALinearModel() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = 64;
        java.util.Random rnd = new java.util.Random(5);
        float[] xs = new float[n * 3];
        float[] ys = new float[n * 2];
        float[] trueW = {1, -2, 0.5f, 3, -1, 0.25f};
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                xs[i * 3 + c] = (float) rnd.nextGaussian();
            }
            for (int o = 0; o < 2; o++) {
                float s = 0;
                for (int c = 0; c < 3; c++) {
                    s += xs[i * 3 + c] * trueW[c * 2 + o];
                }
                ys[i * 2 + o] = s;
            }
        }
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = new ParameterStore(env);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(xs), new long[]{n, 3});
             OnnxTensor y = OnnxTensor.createTensor(env, FloatBuffer.wrap(ys), new long[]{n, 2})) {
            Parameter w = store.add("W", new long[]{3, 2}, new float[6]);
            Adam adam = new Adam(0.05f);
            try (TrainingStep step = new TrainingStep(engine.open(regression(n, 3, 2)), store.all())) {
                float first = step.run(Map.of("x", x, "y", y)).get("loss");
                // one Adam step by hand: m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2 -> w -= lr * g / (|g| + eps)
                float[] g = new float[6];
                w.grad().get(0, g);
                float[] before = w.copyValues();
                adam.step(store.all());
                for (int q = 0; q < 6; q++) {
                    float expect = before[q] - 0.05f * g[q] / (Math.abs(g[q]) + 1e-8f);
                    assertEquals(expect, w.value().get(q), 1e-6f);
                }
                float last = first;
                for (int it = 0; it < 400; it++) {
                    last = step.run(Map.of("x", x, "y", y)).get("loss");
                    adam.step(store.all());
                }
                assertTrue(last < 1e-3 * first, "loss " + first + " -> " + last);
                for (int q = 0; q < 6; q++) {
                    assertEquals(trueW[q], w.value().get(q), 0.02f);
                }
            }
        }
    }

    @Test
    void largeParametersUpdateInParallelChunksExactlyAsDefined() {
        // sizes that are not multiples of the work chunk, so the parallel path splits them unevenly
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        java.util.Random rnd = new java.util.Random(5);
        int[] sizes = {100_003, 70_001};
        float lr = 0.01f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-8f;
        float wd = 0.1f;
        try (ParameterStore store = new ParameterStore(env)) {
            float[][] w = new float[2][];
            float[][] m = new float[2][];
            float[][] v = new float[2][];
            for (int k = 0; k < 2; k++) {
                w[k] = new float[sizes[k]];
                for (int i = 0; i < sizes[k]; i++) {
                    w[k][i] = rnd.nextFloat() - 0.5f;
                }
                m[k] = new float[sizes[k]];
                v[k] = new float[sizes[k]];
                store.add(k == 0 ? "EU" : "W0", new long[]{sizes[k]}, w[k].clone());
            }
            Adam adam = new Adam(lr, b1, b2, eps, wd, name -> name.equals("W0"));
            for (int t = 1; t <= 3; t++) {
                float c1 = (float) (1 - Math.pow(b1, t));
                float c2 = (float) (1 - Math.pow(b2, t));
                for (int k = 0; k < 2; k++) {
                    Parameter p = store.all().get(k);
                    for (int i = 0; i < sizes[k]; i++) {
                        float g = (float) rnd.nextGaussian();
                        p.grad().put(i, g);
                        float wi = w[k][i];
                        if (k == 1) {
                            wi -= lr * wd * wi;
                        }
                        m[k][i] = b1 * m[k][i] + (1 - b1) * g;
                        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
                        w[k][i] = wi - lr / c1 * m[k][i] / ((float) Math.sqrt(v[k][i]) * (float) (1 / Math.sqrt(c2)) + eps);
                    }
                }
                adam.step(store.all());
                for (int k = 0; k < 2; k++) {
                    assertArrayEquals(w[k], store.all().get(k).copyValues(), 0f, "step " + t + ", parameter " + k);
                }
            }
        }
    }

    @Test
    void weightDecayReachesOnlyTheChosenParameters() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (ParameterStore store = new ParameterStore(env)) {
            Parameter kept = store.add("EU", new long[]{4}, new float[]{1, -2, 3, -4});
            Parameter decayed = store.add("W0", new long[]{4}, new float[]{1, -2, 3, -4});
            Adam adam = new Adam(0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, name -> !name.equals("EU"));
            adam.step(store.all()); // zero gradients: only the decay moves anything
            for (int q = 0; q < 4; q++) {
                assertEquals(kept.copyValues()[q], new float[]{1, -2, 3, -4}[q], 0f);
                assertEquals(new float[]{1, -2, 3, -4}[q] * (1 - 0.1f * 0.5f), decayed.copyValues()[q], 1e-6f);
            }
        }
    }

    @Test
    void thousandStepsDoNotGrowNativeMemory() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = 256;
        float[] xs = new float[n * 32];
        float[] ys = new float[n * 16];
        java.util.Arrays.fill(xs, 0.1f);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = new ParameterStore(env);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(xs), new long[]{n, 32});
             OnnxTensor y = OnnxTensor.createTensor(env, FloatBuffer.wrap(ys), new long[]{n, 16})) {
            store.add("W", new long[]{32, 16}, new float[32 * 16]);
            Adam adam = new Adam(1e-3f);
            try (TrainingStep step = new TrainingStep(engine.open(regression(n, 32, 16)), store.all())) {
                for (int i = 0; i < 200; i++) {
                    step.run(Map.of("x", x, "y", y));
                    adam.step(store.all());
                }
                System.gc();
                long before = rssKb();
                for (int i = 0; i < 1000; i++) {
                    step.run(Map.of("x", x, "y", y));
                    adam.step(store.all());
                }
                System.gc();
                long after = rssKb();
                Logger.getLogger(EngineTest.class.getName()).info("RSS over 1000 steps: " + before + " kB -> " + after + " kB");
                assertTrue(after - before < 20_000, "resident memory grew by " + (after - before) + " kB over 1000 steps");
            }
        }
    }

    private static long rssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(status), "needs /proc/self/status (Linux)");
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("No VmRSS");
    }

    @Test
    void cudaRequestFallsBackToCpuWithAWarning() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)
                && System.getenv("CUDA_VISIBLE_DEVICES") != null, "a CUDA device is present; fallback not exercised");
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(OrtEngine.class.getName());
        log.addHandler(h);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withProvider(ExecutionProvider.CUDA));
             Session s = engine.open(regression(4, 2, 1))) {
            if (engine.activeProvider() == ExecutionProvider.CPU) {
                assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("CUDA")), "no WARNING logged");
                assertTrue(engine.fallbackReason() != null && !engine.fallbackReason().isEmpty());
            }
            float[] loss = s.runFloat(Map.of(
                    "x", OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(new float[]{1, 2, 3, 4, 5, 6, 7, 8}), new long[]{4, 2}),
                    "y", OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(new float[]{1, 1, 1, 1}), new long[]{4, 1}),
                    "W", OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(new float[]{0, 0}), new long[]{2, 1})), "loss");
            assertEquals(1f, loss[0], 1e-6f);
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void autoThreadsResolvesToAtLeastOne() {
        assertTrue(EngineConfig.DEFAULT.withThreads(0).resolvedThreads() >= 1);
        assertEquals(3, EngineConfig.DEFAULT.withThreads(3).resolvedThreads());
    }
}
