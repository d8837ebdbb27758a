package org.crane.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.crane.data.DataDirectory;
import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.engine.Adam;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.TrainingStep;
import org.crane.graph.InteractionGraph;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.SparseInput;
import org.crane.onnx.Autodiff;
import org.crane.onnx.DType;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;
import org.crane.engine.Tensors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The engine benchmark: SpMM, dense projection and a LightGCN + BPR step on a real dataset. */
final class EngineBenchmark {
    record Row(String name, BenchTimer.Stats stats, double gflop) {
        double gflopsPerSecond() {
            return gflop / (stats.medianMs() / 1000);
        }
    }

    private EngineBenchmark() {
    }

    static List<Row> run(DataDirectory.LoadedData data, int threads, int runs, int batch) throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Interactions in = data.interactions();
        InteractionGraph g = new InteractionGraph(in.numUsers(), in.numItems(), in.itemsByUser(Split.TRAIN));
        org.crane.graph.ScaledCoo adj = g.normalizedAdjacency();
        int n = in.numUsers() + in.numItems();
        int d = 64;
        List<Row> rows = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(1);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(threads))) {
            Map<String, OnnxTensor> adjT = Tensors.scaled(env, GraphInputs.ADJ, adj);
            OnnxTensor x = Tensors.floats(env, random(rnd, n * d), n, d);
            // SpMM forward and backward
            Program p = new Program();
            SparseInput a = SparseInput.scaled(p, GraphInputs.ADJ, n, n);
            Tensor xs = p.input("x", DType.FLOAT, n, d);
            Tensor y = a.times(xs);
            Tensor r = p.input("r", DType.FLOAT, n, d);
            Tensor dx = Autodiff.gradients(y.mul(r).sumAll(), List.of(xs)).get(xs);
            double spmmFlop = 2.0 * adj.nnz() * d / 1e9;
            Map<String, OnnxTensor> feed = new HashMap<>(adjT);
            feed.put("x", x);
            feed.put("r", x);
            try (Session fwd = engine.open(OnnxGraphWriter.write("spmm", Map.of("y", y), Map.of()));
                 Session bwd = engine.open(OnnxGraphWriter.write("spmm_t", Map.of("dx", dx), Map.of()))) {
                rows.add(new Row("spmm_forward", BenchTimer.time(2, runs, () -> runOnce(fwd, feed)), spmmFlop));
                rows.add(new Row("spmm_backward", BenchTimer.time(2, runs, () -> runOnce(bwd, feed)), spmmFlop));
            }
            // dense projection of the first modality (Baby: 7050 x 4096 . 4096 x 64)
            if (!data.features().getModalities().isEmpty()) {
                FeatureMatrix f = data.features().getModalities().get(0);
                Program q = new Program();
                Tensor xf = q.input("xf", DType.FLOAT, f.rows(), f.cols());
                Tensor w = q.input("w", DType.FLOAT, f.cols(), d);
                Tensor proj = xf.matmul(w);
                Tensor rr = q.input("rr", DType.FLOAT, f.rows(), d);
                Tensor dw = Autodiff.gradients(proj.mul(rr).sumAll(), List.of(w)).get(w);
                Program q2 = new Program();
                Tensor xf2 = q2.input("xf", DType.FLOAT, f.rows(), f.cols());
                q2.transposedInput(xf2, "xf_t");
                Tensor w2 = q2.input("w", DType.FLOAT, f.cols(), d);
                Tensor rr2 = q2.input("rr", DType.FLOAT, f.rows(), d);
                Tensor dw2 = Autodiff.gradients(xf2.matmul(w2).mul(rr2).sumAll(), List.of(w2)).get(w2);
                Map<String, OnnxTensor> pf = new HashMap<>();
                pf.put("xf", Tensors.floats(env, f.values(), f.rows(), f.cols()));
                pf.put("w", Tensors.floats(env, random(rnd, f.cols() * d), f.cols(), d));
                pf.put("rr", Tensors.floats(env, random(rnd, f.rows() * d), f.rows(), d));
                pf.put("xf_t", Tensors.floats(env, f.transposedValues(), f.cols(), f.rows()));
                double flop = 2.0 * f.rows() * f.cols() * d / 1e9;
                try (Session fwd = engine.open(OnnxGraphWriter.write("proj", Map.of("y", proj), Map.of()));
                     Session bwd = engine.open(OnnxGraphWriter.write("proj_t", Map.of("dw", dw), Map.of()))) {
                    rows.add(new Row("projection_forward", BenchTimer.time(2, runs, () -> runOnce(fwd, pf)), flop));
                    rows.add(new Row("projection_backward", BenchTimer.time(2, runs, () -> runOnce(bwd, pf)), flop));
                }
                try (Session bwd2 = engine.open(OnnxGraphWriter.write("proj_tt", Map.of("dw", dw2), Map.of()))) {
                    rows.add(new Row("projection_backward_pretransposed", BenchTimer.time(2, runs, () -> runOnce(bwd2, pf)), flop));
                }
                // the same products over the non-zeros only, as training runs them for sparse features
                // (GFLOP/s of the arithmetic done: 2 x non-zeros x d)
                java.util.Optional<org.crane.engine.SparseKernel> kernel = org.crane.engine.SparseKernel.vectorised(d);
                if (kernel.isPresent()) {
                    int block = org.crane.engine.SparseProjection.BLOCK;
                    org.crane.engine.SparseRows xsp = org.crane.engine.SparseRows.of(f.values(), f.rows(), f.cols(), block);
                    // a stored transpose, which training no longer keeps (its backward reads xsp): for comparison
                    org.crane.engine.SparseRows xtp = org.crane.engine.SparseRows.of(f.transposedValues(), f.cols(), f.rows(), block);
                    float[] wv = random(rnd, f.cols() * d);
                    float[] gv = random(rnd, f.rows() * d);
                    float[] yv = new float[f.rows() * d];
                    float[] dwv = new float[f.cols() * d];
                    rows.add(new Row("projection_forward_sparse", BenchTimer.time(2, runs, () -> kernel.get().multiply(xsp, wv, d, yv)), 2.0 * xsp.nonZeros() * d / 1e9));
                    rows.add(new Row("projection_backward_sparse", BenchTimer.time(2, runs, () -> kernel.get().multiplyTransposed(xsp, gv, d, dwv)), 2.0 * xsp.nonZeros() * d / 1e9));
                    rows.add(new Row("projection_backward_sparse_stored_transpose", BenchTimer.time(2, runs, () -> kernel.get().multiply(xtp, gv, d, dwv)), 2.0 * xtp.nonZeros() * d / 1e9));
                }
                pf.values().forEach(OnnxTensor::close);
            }
            // LightGCN (2 layers) + BPR step with Adam
            CraneConfig cfg = new CraneConfig(d, 0, 1, false, false, 2, 0, 0.2f, 0f, 1e-4f, false);
            CraneNetwork net = new CraneNetwork(cfg, in.numUsers(), in.numItems(), new int[0]);
            try (ParameterStore store = new ParameterStore(env)) {
                Map<String, float[]> init = net.initialValues(new SplittableRandom(2));
                for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                    store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
                }
                Map<String, OnnxTensor> step = new LinkedHashMap<>(adjT);
                long[] u = new long[batch];
                long[] i = new long[batch];
                long[] j = new long[batch];
                for (int k = 0; k < batch; k++) {
                    u[k] = rnd.nextInt(in.numUsers());
                    i[k] = rnd.nextInt(in.numItems());
                    j[k] = rnd.nextInt(in.numItems());
                }
                step.put(GraphInputs.USERS, Tensors.longs(env, u));
                step.put(GraphInputs.POS, Tensors.longs(env, i));
                step.put(GraphInputs.NEG, Tensors.longs(env, j));
                Adam adam = new Adam(1e-3f);
                try (TrainingStep ts = new TrainingStep(engine.open(net.trainingGraph()), store.all())) {
                    double flop = (4 * 2.0 * adj.nnz() * d + 12.0 * batch * d) / 1e9;
                    rows.add(new Row("lightgcn_bpr_step", BenchTimer.time(2, runs, () -> {
                        ts.run(step);
                        adam.step(store.all());
                    }), flop));
                }
                step.get(GraphInputs.USERS).close();
                step.get(GraphInputs.POS).close();
                step.get(GraphInputs.NEG).close();
            }
            adjT.values().forEach(OnnxTensor::close);
            x.close();
        }
        return rows;
    }

    private static void runOnce(Session s, Map<String, OnnxTensor> feed) {
        try (OrtSession.Result r = s.run(s.spec().inputsFrom(feed::get), Map.of())) {
            r.size();
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int q = 0; q < n; q++) {
            v[q] = (float) (rnd.nextDouble() - 0.5);
        }
        return v;
    }
}
