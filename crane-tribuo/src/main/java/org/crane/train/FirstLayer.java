package org.crane.train;

import org.crane.graph.CooMatrix;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The first propagation layer of a local step in Java: the local nodes' rows of {@code Ahat E_0}
 * (forward) and their gradient's transpose product into an ID-embedding gradient (backward), over
 * the parameters' own buffers. In the graph these were a gather of a row per adjacency entry and a
 * scatter of as many rows into a gradient of the whole table, which ONNX Runtime ran at ~0.3 GFLOP/s
 * (Electronics shape: 74 ms of a 160 ms step). Here the entries come in column order, so that
 * both passes walk the large table (and its gradient) in address order, which the memory prefetcher
 * follows, while the small side (a few thousand local rows) stays in cache; each task owns a contiguous
 * run of columns. Forward and backward are side by side and checked against {@link CooMatrix#multiply}
 * and finite differences in the tests.
 */
final class FirstLayer {
    /** Entries per parallel task, at least. */
    private static final int BLOCK = 1 << 14;

    private FirstLayer() {
    }

    /**
     * @param a the local rows of Ahat, entries in column order (as {@link LocalBatch} builds them).
     * @param table the embeddings (a.cols() x d), row-major.
     * @param d the embedding size.
     * @return {@code a * table} (a.rows() x d).
     */
    static float[] forward(CooMatrix a, FloatBuffer table, int d) {
        int[] cuts = columnCuts(a);
        // each task sums into its own copy of the (small) output
        float[][] parts = new float[cuts.length - 1][];
        IntStream.range(0, cuts.length - 1).parallel().forEach(t -> {
            float[] out = new float[a.rows() * d];
            float[] x = new float[d];
            for (int e = cuts[t]; e < cuts[t + 1]; e++) {
                table.get(a.col()[e] * d, x, 0, d);
                int o = a.row()[e] * d;
                float v = a.value()[e];
                for (int c = 0; c < d; c++) {
                    out[o + c] += v * x[c];
                }
            }
            parts[t] = out;
        });
        float[] sum = parts[0];
        for (int t = 1; t < parts.length; t++) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += parts[t][k];
            }
        }
        return sum;
    }

    /**
     * Adds {@code a^T * grad} to {@code target}: the gradient of {@link #forward} with respect to the table.
     * @param a the matrix of the forward pass (column order).
     * @param grad the gradient of its output (a.rows() x d).
     * @param target the table's gradient (a.cols() x d), updated in place.
     * @param d the embedding size.
     */
    static void backward(CooMatrix a, FloatBuffer grad, FloatBuffer target, int d) {
        if (grad.limit() != a.rows() * d) {
            throw new IllegalStateException("A first-layer gradient has " + grad.limit() + " values, expected " + a.rows() * d);
        }
        float[] g = new float[a.rows() * d];
        grad.get(0, g, 0, g.length);
        int[] cuts = columnCuts(a);
        // the cuts fall between columns, so no two tasks write the same row of the target
        IntStream.range(0, cuts.length - 1).parallel().forEach(t -> {
            float[] row = new float[d];
            int e = cuts[t];
            while (e < cuts[t + 1]) {
                int col = a.col()[e];
                int to = col * d;
                target.get(to, row, 0, d);
                for (; e < cuts[t + 1] && a.col()[e] == col; e++) {
                    int from = a.row()[e] * d;
                    float v = a.value()[e];
                    for (int c = 0; c < d; c++) {
                        row[c] += v * g[from + c];
                    }
                }
                target.put(to, row, 0, d);
            }
        });
    }

    /** Entry offsets cutting a column-sorted matrix into about one run per core (of at least {@link #BLOCK} entries), at column starts. */
    private static int[] columnCuts(CooMatrix a) {
        int n = a.nnz();
        int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / BLOCK));
        IntStream.Builder cuts = IntStream.builder().add(0);
        int last = 0;
        for (int t = 1; t < tasks; t++) {
            int e = Math.max(last, (int) ((long) n * t / tasks));
            while (e > 0 && e < n && a.col()[e] == a.col()[e - 1]) {
                e++;
            }
            if (e > last && e < n) {
                cuts.add(e);
                last = e;
            }
        }
        cuts.add(n);
        return cuts.build().toArray();
    }
}
