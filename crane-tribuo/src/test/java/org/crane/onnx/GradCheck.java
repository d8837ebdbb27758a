package org.crane.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import static org.crane.testing.Numerics.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a program's gradients three ways: ONNX Runtime's values against the float64 Java oracle
 * evaluating the same tape (emission is right), and the oracle's gradients against central finite
 * differences of the oracle's loss (the gradient rules are right); ORT against finite differences too.
 */
final class GradCheck {
    /** Relative error allowed between ORT (float32) and the float64 oracle. */
    static final double ORT_VS_ORACLE = 1e-5;
    /** Relative error allowed between the oracle's analytic gradient and float64 finite differences. */
    static final double ORACLE_VS_FD = 1e-6;
    /** Relative error allowed between ORT's gradient and float64 finite differences (float32 noise). */
    static final double ORT_VS_FD = 1e-4;

    /** What a case builds. */
    record Built(Tensor loss, List<Tensor> wrt) {
    }

    /** Results, for reporting. */
    record Result(String name, double ortVsOracle, double oracleVsFd, double ortVsFd, int nodes) {
    }

    private GradCheck() {
    }

    static final long SEED = new Random().nextLong();

    /**
     * @param name case name.
     * @param build declares inputs on the program (values into the map) and returns loss and wrt.
     * @return the measured errors.
     */
    static Result check(String name, BiFunction<Program, Map<String, NdArray>, Built> build) throws OrtException {
        Program p = new Program();
        Map<String, NdArray> values = new LinkedHashMap<>();
        Built b = build.apply(p, values);
        Map<Tensor, Tensor> grads = Autodiff.gradients(b.loss(), b.wrt());
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put("loss", b.loss());
        for (Tensor w : b.wrt()) {
            outs.put("grad:" + w.name(), grads.get(w));
        }
        GraphSpec spec = OnnxGraphWriter.write(name, outs, Map.of());
        // float32-round the inputs so both sides see identical data
        for (Map.Entry<String, NdArray> e : values.entrySet()) {
            double[] d = e.getValue().data;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
        }
        // both forms of the graph: one-hot sparse products (CPU) and ScatterND (portable)
        Map<String, double[]> ort = runOrt(spec, values, outs.keySet());
        Map<String, double[]> portable = spec.portable() == null ? null : runOrt(spec.portable(), values, outs.keySet());
        List<Tensor> wanted = new ArrayList<>(outs.values());
        Map<Tensor, NdArray> oracle = JavaOracle.eval(p, values, wanted);
        double ortVsOracle = 0;
        for (Map.Entry<String, Tensor> e : outs.entrySet()) {
            double[] want = oracle.get(e.getValue()).data;
            assertEquals(want.length, ort.get(e.getKey()).length, e.getKey() + " size");
            for (Map<String, double[]> form : portable == null ? List.of(ort) : List.of(ort, portable)) {
                double[] got = form.get(e.getKey());
                // the scalar loss sums terms of both signs: compare it relative to max(1, |loss|) to avoid
                // amplifying float32 cancellation; gradients are compared by relative norm
                double err = e.getKey().equals("loss") ? Math.abs(got[0] - want[0]) / Math.max(1, Math.abs(want[0])) : relErr(got, want);
                ortVsOracle = Math.max(ortVsOracle, err);
            }
        }
        // finite differences of the oracle's loss at sampled coordinates
        Random rnd = new Random(SEED ^ name.hashCode());
        double oracleVsFd = 0;
        double ortVsFd = 0;
        for (Tensor w : b.wrt()) {
            double[] x = values.get(w.name()).data;
            int samples = Math.min(x.length, 12);
            double[] fd = new double[samples];
            double[] an = new double[samples];
            double[] ortG = new double[samples];
            double[] g = oracle.get(grads.get(w)).data;
            for (int s = 0; s < samples; s++) {
                int i = samples == x.length ? s : rnd.nextInt(x.length);
                double h = 1e-6 * Math.max(1, Math.abs(x[i]));
                double x0 = x[i];
                x[i] = x0 + h;
                double lp = JavaOracle.eval(p, values, List.of(b.loss())).get(b.loss()).data[0];
                x[i] = x0 - h;
                double lm = JavaOracle.eval(p, values, List.of(b.loss())).get(b.loss()).data[0];
                x[i] = x0;
                fd[s] = (lp - lm) / (2 * h);
                an[s] = g[i];
                ortG[s] = ort.get("grad:" + w.name())[i];
            }
            oracleVsFd = Math.max(oracleVsFd, relErr(an, fd));
            ortVsFd = Math.max(ortVsFd, relErr(ortG, fd));
        }
        String msg = name + " (seed " + SEED + "): ORT vs oracle " + ortVsOracle + ", oracle vs FD " + oracleVsFd + ", ORT vs FD " + ortVsFd;
        assertTrue(ortVsOracle < ORT_VS_ORACLE, msg);
        assertTrue(oracleVsFd < ORACLE_VS_FD, msg);
        assertTrue(ortVsFd < ORT_VS_FD, msg);
        return new Result(name, ortVsOracle, oracleVsFd, ortVsFd, spec.nodeCount());
    }

    /** Runs one form of a graph in a fresh session (one thread) and returns the named outputs. */
    static Map<String, double[]> runOrt(GraphSpec spec, Map<String, NdArray> values, java.util.Set<String> outNames) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, double[]> ort = new HashMap<>();
        Map<String, OnnxTensor> in = new HashMap<>();
        // the engine's session feeds the one-hot inputs of that form, as in training
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(1));
             Session s = engine.open(spec)) {
            for (Map.Entry<String, GraphSpec.InputInfo> e : spec.inputs().entrySet()) {
                NdArray v = values.get(e.getKey());
                if (e.getValue().dtype() == DType.INT64) {
                    long[] l = new long[v.data.length];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = (long) v.data[i];
                    }
                    in.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(l), v.shape));
                } else {
                    float[] f = new float[v.data.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) v.data[i];
                    }
                    in.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(f), v.shape));
                }
            }
            try (OrtSession.Result r = s.run(in, Map.of())) {
                for (String k : outNames) {
                    FloatBuffer fb = ((OnnxTensor) r.get(k).get()).getFloatBuffer();
                    double[] d = new double[fb.remaining()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = fb.get(i);
                    }
                    ort.put(k, d);
                }
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
        return ort;
    }


    /** A random float input of the given shape, values uniform in [lo, hi). */
    static Tensor input(Program p, Map<String, NdArray> values, String name, double lo, double hi, long... shape) {
        Random rnd = new Random(SEED ^ name.hashCode() ^ 17);
        double[] d = new double[(int) NdArray.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        values.put(name, new NdArray(d, shape));
        return p.input(name, DType.FLOAT, shape);
    }

    /** An int64 index input with values in [0, bound). */
    static Tensor indices(Program p, Map<String, NdArray> values, String name, int bound, long... shape) {
        Random rnd = new Random(SEED ^ name.hashCode() ^ 31);
        double[] d = new double[(int) NdArray.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextInt(bound);
        }
        values.put(name, new NdArray(d, shape));
        return p.input(name, DType.INT64, shape);
    }

    /** sum(y * R) for a fixed random positive weight R of y's shape: a scalar loss with a non-trivial gradient. */
    static Tensor weightedSum(Program p, Map<String, NdArray> values, Tensor y) {
        Tensor r = input(p, values, "R" + values.size(), 0.5, 1.5, y.shape());
        return y.mul(r).sumAll();
    }
}
