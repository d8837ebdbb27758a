package org.crane.onnx;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import static org.crane.onnx.GradCheck.Built;
import static org.crane.onnx.GradCheck.check;
import static org.crane.onnx.GradCheck.indices;
import static org.crane.onnx.GradCheck.input;
import static org.crane.onnx.GradCheck.weightedSum;

/**
 * Gradient checks for every differentiable operation CRANE uses, on random shapes and fresh random
 * inputs each run (the seed is printed on failure).
 */
class AutodiffTest {
    private static final List<GradCheck.Result> RESULTS = new ArrayList<>();

    private static void run(String name, java.util.function.BiFunction<Program, Map<String, NdArray>, Built> b) throws OrtException {
        RESULTS.add(check(name, b));
    }

    @AfterAll
    static void report() {
        StringBuilder sb = new StringBuilder("Gradient checks (seed " + GradCheck.SEED + "):\n");
        sb.append(String.format(Locale.ROOT, "%-28s %12s %12s %12s %6s%n", "case", "ORT~oracle", "oracle~FD", "ORT~FD", "nodes"));
        for (GradCheck.Result r : RESULTS) {
            sb.append(String.format(Locale.ROOT, "%-28s %12.2e %12.2e %12.2e %6d%n", r.name(), r.ortVsOracle(), r.oracleVsFd(), r.ortVsFd(), r.nodes()));
        }
        Logger.getLogger(AutodiffTest.class.getName()).info(sb.toString());
    }

    @Test
    void matmul2d() throws OrtException {
        run("matmul 2d", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 5, 7);
            Tensor w = input(p, v, "w", -1, 1, 7, 3);
            return new Built(weightedSum(p, v, a.matmul(w)), List.of(a, w));
        });
    }

    @Test
    void matmulBatched() throws OrtException {
        run("matmul batched 3d x 3d", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 4, 3, 5);
            Tensor b = input(p, v, "b", -1, 1, 4, 5, 2);
            return new Built(weightedSum(p, v, a.matmul(b)), List.of(a, b));
        });
        // a x^T with x also used elsewhere: x's gradient is dy^T a plus the other use's, no Transpose node
        run("matmul 3d x transposed 3d", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 4, 3, 5);
            Tensor x = input(p, v, "x", -1, 1, 4, 2, 5);
            Tensor y = a.matmul(x.transposeLast2()).tanh().matmul(x);
            return new Built(weightedSum(p, v, y), List.of(a, x));
        });
        run("matmul batched 3d x 2d", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 4, 3, 5);
            Tensor w = input(p, v, "w", -1, 1, 5, 2);
            return new Built(weightedSum(p, v, a.matmul(w)), List.of(a, w));
        });
        // rank 4 against a shared weight: the weight's gradient is one flattened GEMM
        run("matmul batched 4d x 2d", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 2, 3, 4, 5);
            Tensor w = input(p, v, "w", -1, 1, 5, 3);
            return new Built(weightedSum(p, v, a.tanh().matmul(w)), List.of(a, w));
        });
    }

    @Test
    void broadcastingArithmetic() throws OrtException {
        run("add/sub broadcast", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 6, 4);
            Tensor b = input(p, v, "b", -1, 1, 4);
            Tensor c = input(p, v, "c", -1, 1, 6, 1);
            return new Built(weightedSum(p, v, x.add(b).sub(c)), List.of(x, b, c));
        });
        run("mul/div broadcast", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 3, 6, 4);
            Tensor b = input(p, v, "b", 0.5, 2, 6, 1);
            Tensor c = input(p, v, "c", 0.5, 2, 4);
            return new Built(weightedSum(p, v, x.mul(b).div(c)), List.of(x, b, c));
        });
    }

    @Test
    void elementwiseNonlinearities() throws OrtException {
        run("tanh, relu, sigmoid", (p, v) -> {
            Tensor x = input(p, v, "x", -2, 2, 5, 6);
            return new Built(weightedSum(p, v, x.tanh().add(x.relu()).add(x.sigmoid())), List.of(x));
        });
        run("softplus, logsigmoid, neg", (p, v) -> {
            Tensor x = input(p, v, "x", -3, 3, 5, 6);
            return new Built(weightedSum(p, v, x.softplus().add(x.logSigmoid()).neg()), List.of(x));
        });
        run("exp, log, sqrt", (p, v) -> {
            Tensor x = input(p, v, "x", 0.2, 2, 4, 5);
            return new Built(weightedSum(p, v, x.exp().add(x.log()).add(x.sqrt())), List.of(x));
        });
    }

    @Test
    void softmaxAndLogSoftmax() throws OrtException {
        run("softmax axis -1", (p, v) -> {
            Tensor x = input(p, v, "x", -2, 2, 3, 4, 5);
            return new Built(weightedSum(p, v, x.softmax(-1)), List.of(x));
        });
        run("logsoftmax axis 1", (p, v) -> {
            Tensor x = input(p, v, "x", -2, 2, 6, 5);
            return new Built(weightedSum(p, v, x.logSoftmax(1)), List.of(x));
        });
        run("logsumexp axis 1 and -1", (p, v) -> {
            Tensor x = input(p, v, "x", -3, 3, 3, 4, 5);
            return new Built(weightedSum(p, v, x.logSumExp(1)).add(weightedSum(p, v, x.logSumExp(-1))), List.of(x));
        });
    }

    /** Logits far beyond exp's float range: log(sum(exp)) stays finite and exact, as does its gradient. */
    @Test
    void logSumExpIsStableForLargeInputs() throws OrtException {
        Program p = new Program();
        Tensor x = p.input("x", DType.FLOAT, 2, 3);
        Tensor y = x.logSumExp(1);
        Tensor dx = Autodiff.gradients(y.sumAll(), List.of(x)).get(x);
        float[] xv = {100f, 101f, 99f, -200f, -201f, -199f};
        try (org.crane.engine.OrtEngine engine = new org.crane.engine.OrtEngine(org.crane.engine.EngineConfig.DEFAULT);
             org.crane.engine.Session s = engine.open(org.crane.onnx.OnnxGraphWriter.write("lse", java.util.Map.of("y", y, "dx", dx), java.util.Map.of()))) {
            java.util.Map<String, ai.onnxruntime.OnnxTensor> feed = java.util.Map.of("x", org.crane.engine.Tensors.floats(engine.env(), xv, 2, 3));
            float[] got = s.runFloat(feed, "y");
            float[] grad = s.runFloat(feed, "dx");
            double lse = Math.log(Math.exp(-1) + 1 + Math.exp(-2));
            org.junit.jupiter.api.Assertions.assertEquals(101 + lse, got[0], 1e-4);
            org.junit.jupiter.api.Assertions.assertEquals(-199 + lse, got[1], 1e-4);
            double z = Math.exp(-1) + 1 + Math.exp(-2);
            double[] want = {Math.exp(-1) / z, 1 / z, Math.exp(-2) / z, Math.exp(-1) / z, Math.exp(-2) / z, 1 / z};
            for (int q = 0; q < 6; q++) {
                org.junit.jupiter.api.Assertions.assertEquals(want[q], grad[q], 1e-6, "dx entry " + q);
            }
            feed.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    @Test
    void reductions() throws OrtException {
        run("reducesum keep/drop", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 4, 5, 3);
            Tensor y = x.sum(true, 1).mul(x).sum(false, 0, 2);
            return new Built(weightedSum(p, v, y), List.of(x));
        });
        run("reducemean", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 4, 5, 3);
            return new Built(weightedSum(p, v, x.mean(false, -1)).add(x.meanAll()), List.of(x));
        });
    }

    @Test
    void shapeOperations() throws OrtException {
        run("reshape, transpose", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 6, 4);
            return new Built(weightedSum(p, v, x.reshape(6, 2, 2).transpose(2, 0, 1)), List.of(x));
        });
        run("concat, slice", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 5, 3);
            Tensor b = input(p, v, "b", -1, 1, 5, 4);
            Tensor c = p.concat(1, List.of(a, b));
            return new Built(weightedSum(p, v, c.slice(1, 2, 6)).add(weightedSum(p, v, c)), List.of(a, b));
        });
        run("unsqueeze, pad", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 5, 3);
            return new Built(weightedSum(p, v, a.unsqueeze(1).padAxis(2, 1, 2)), List.of(a));
        });
    }

    @Test
    void rowNormalisation() throws OrtException {
        run("l2 normalise rows", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 7, 5);
            return new Built(weightedSum(p, v, x.l2NormalizeRows(1e-8f)), List.of(x));
        });
    }

    @Test
    void stopGradientCutsOnlyItsOwnPath() throws OrtException {
        // loss = sum w * x * sg(x): the gradient is w * x (the stopped factor held constant), not 2 w x;
        // checked against central differences of the loss with the stopped factor fixed at x0
        Program p = new Program();
        Map<String, NdArray> values = new java.util.LinkedHashMap<>();
        Tensor x = input(p, values, "x", -1, 1, 4, 3);
        Tensor c = input(p, values, "c", -1, 1, 4, 3);   // x0, the stopped factor's value, as a constant input
        System.arraycopy(values.get("x").data, 0, values.get("c").data, 0, 12);
        Tensor w = input(p, values, "w", -1, 1, 4, 3);
        Tensor loss = x.mul(x.stopGradient()).mul(w).sumAll();
        Tensor fixed = x.mul(c).mul(w).sumAll();
        Map<Tensor, Tensor> grads = Autodiff.gradients(loss, List.of(x));
        Map<String, Tensor> outs = new java.util.LinkedHashMap<>();
        outs.put("loss", loss);
        outs.put("fixed", fixed);
        outs.put("grad:x", grads.get(x));
        for (NdArray a : values.values()) {
            for (int q = 0; q < a.data.length; q++) {
                a.data[q] = (float) a.data[q];
            }
        }
        Map<String, double[]> ort = GradCheck.runOrt(OnnxGraphWriter.write("sg", outs, Map.of()), values, outs.keySet());
        double[] xs = values.get("x").data;
        double[] ws = values.get("w").data;
        org.junit.jupiter.api.Assertions.assertEquals(ort.get("fixed")[0], ort.get("loss")[0], 1e-5, "the forward value is unchanged");
        for (int q = 0; q < xs.length; q++) {
            // central differences of the oracle's loss with the stopped factor held at x0
            double h = 1e-6;
            double x0 = xs[q];
            xs[q] = x0 + h;
            double lp = JavaOracle.eval(p, values, List.of(fixed)).get(fixed).data[0];
            xs[q] = x0 - h;
            double lm = JavaOracle.eval(p, values, List.of(fixed)).get(fixed).data[0];
            xs[q] = x0;
            org.junit.jupiter.api.Assertions.assertEquals((lp - lm) / (2 * h), ort.get("grad:x")[q], 1e-5, "entry " + q);
            org.junit.jupiter.api.Assertions.assertEquals(ws[q] * xs[q], ort.get("grad:x")[q], 1e-5, "entry " + q);
        }
    }

    @Test
    void gatherWithRepeatedIndices() throws OrtException {
        run("gather rows 1d and 2d idx", (p, v) -> {
            Tensor t = input(p, v, "t", -1, 1, 6, 4);
            Tensor i1 = indices(p, v, "i1", 6, 9);
            Tensor i2 = indices(p, v, "i2", 6, 3, 2);
            return new Built(weightedSum(p, v, t.gatherRows(i1)).add(weightedSum(p, v, t.gatherRows(i2))), List.of(t));
        });
    }

    @Test
    void sparsePropagationAndItsTranspose() throws OrtException {
        // a non-symmetric, non-square COO matrix A (5 x 7): Y = A X needs A^T dY in the backward pass
        run("sparse A.X (5x7 COO)", (p, v) -> {
            Tensor x = input(p, v, "x", -1, 1, 7, 3);
            Tensor rows = indices(p, v, "rows", 5, 16);
            Tensor cols = indices(p, v, "cols", 7, 16);
            Tensor vals = input(p, v, "vals", 0.1, 1, 16, 1);
            Tensor y = p.scatterAddRows(rows, x.gatherRows(cols).mul(vals), p.rows(5));
            return new Built(weightedSum(p, v, y), List.of(x, vals));
        });
    }

    @Test
    void neighbourListsProductAndItsTranspose() throws OrtException {
        // a random non-square binary matrix B (7 x 9) with an empty row, one-entry rows, repeated
        // entries and rows of several widths; Y = B X needs B^T dY (the transpose's lists) backwards
        run("neighbour lists B.X (7x9)", (p, v) -> {
            java.util.Random rnd = new java.util.Random(GradCheck.SEED ^ 5);
            int nnz = 24;
            int[] row = new int[nnz];
            int[] col = new int[nnz];
            for (int k = 0; k < nnz; k++) {
                row[k] = k < 2 ? 1 + k : 3 + rnd.nextInt(4);  // rows 1, 2 get one entry each; row 0 none
                col[k] = rnd.nextInt(9);
            }
            row[nnz - 1] = 6;
            col[nnz - 1] = col[nnz - 2];
            row[nnz - 2] = 6;                               // row 6 holds the same column twice
            Tensor x = input(p, v, "x", -1, 1, 9, 3);
            NeighbourInputs lists = lists(p, v, "f", org.crane.graph.NeighbourLists.of(7, 9, row, col, 3));
            NeighbourInputs transposed = lists(p, v, "t", org.crane.graph.NeighbourLists.of(9, 7, col, row, 3));
            return new Built(weightedSum(p, v, p.neighbourSum(x, lists, transposed).tanh()), List.of(x));
        });
    }

    private static NeighbourInputs lists(Program p, Map<String, NdArray> v, String prefix, org.crane.graph.NeighbourLists l) {
        List<Tensor> buckets = new ArrayList<>();
        for (int b = 0; b < l.buckets().length; b++) {
            int w = l.widths()[b];
            buckets.add(longInput(p, v, prefix + "b" + b, l.buckets()[b], l.buckets()[b].length / w, w));
        }
        return new NeighbourInputs(longInput(p, v, prefix + "perm", l.perm(), l.perm().length),
                longInput(p, v, prefix + "one", l.single(), l.single().length), buckets);
    }

    private static Tensor longInput(Program p, Map<String, NdArray> v, String name, int[] values, long... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        v.put(name, new NdArray(d, shape));
        return p.input(name, DType.INT64, shape);
    }

    @Test
    void compositeInfoNce() throws OrtException {
        run("infonce (cosine, tau)", (p, v) -> {
            Tensor a = input(p, v, "a", -1, 1, 6, 4);
            Tensor b = input(p, v, "b", -1, 1, 6, 4);
            Tensor an = a.l2NormalizeRows(1e-8f);
            Tensor bn = b.l2NormalizeRows(1e-8f);
            Tensor logits = an.matmul(bn.transposeLast2()).mul(1 / 0.2f);
            Tensor pos = an.mul(bn).sum(false, -1).mul(1 / 0.2f);
            Tensor loss = logits.logSoftmax(1).neg().mean(false, 0).sumAll().mul(0f)
                    .add(pos.neg().add(logits.logSumExp(1)).meanAll());
            return new Built(loss, List.of(a, b));
        });
    }
}
