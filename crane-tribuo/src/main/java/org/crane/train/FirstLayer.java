package org.crane.train;

import org.crane.graph.CooMatrix;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The first propagation layer of a local step in Java: the local nodes' rows of {@code Ahat E_0}
 * (forward) and their gradient's transpose product into an ID-embedding gradient (backward), over
 * the parameters' own buffers. In the graph these were a gather of a row per adjacency entry and a
 * scatter of as many rows into a gradient of the whole table, which ONNX Runtime ran at ~0.3 GFLOP/s
 * (Electronics: 74 ms of a 160 ms step); here each entry is one row update. Forward and backward are
 * side by side and checked against {@link CooMatrix#multiply} in the tests.
 */
final class FirstLayer {
    /** Entries per parallel task. */
    private static final int BLOCK = 1 << 14;

    private FirstLayer() {
    }

    /**
     * @param a the local rows of Ahat (rows in ascending order), columns in the table's rows.
     * @param table the embeddings (a.cols() x d), row-major.
     * @param d the embedding size.
     * @return {@code a * table} (a.rows() x d).
     */
    static float[] forward(CooMatrix a, FloatBuffer table, int d) {
        float[] out = new float[a.rows() * d];
        int[] cuts = rowCuts(a);
        IntStream.range(0, cuts.length - 1).parallel().forEach(b -> {
            float[] x = new float[d];
            for (int e = cuts[b]; e < cuts[b + 1]; e++) {
                table.get(a.col()[e] * d, x, 0, d);
                int o = a.row()[e] * d;
                float v = a.value()[e];
                for (int c = 0; c < d; c++) {
                    out[o + c] += v * x[c];
                }
            }
        });
        return out;
    }

    /**
     * Adds {@code a^T * grad} to {@code target}: the gradient of {@link #forward} with respect to the table.
     * @param a the matrix of the forward pass.
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
        // each task owns a range of the table's rows, so no two write the same row
        int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), a.nnz() / BLOCK));
        IntStream.range(0, tasks).parallel().forEach(t -> {
            long lo = (long) a.cols() * t / tasks;
            long hi = (long) a.cols() * (t + 1) / tasks;
            float[] row = new float[d];
            for (int e = 0; e < a.nnz(); e++) {
                int col = a.col()[e];
                if (col < lo || col >= hi) {
                    continue;
                }
                int to = col * d;
                int from = a.row()[e] * d;
                float v = a.value()[e];
                target.get(to, row, 0, d);
                for (int c = 0; c < d; c++) {
                    row[c] += v * g[from + c];
                }
                target.put(to, row, 0, d);
            }
        });
    }

    /** Entry offsets cutting a row-sorted matrix into blocks of about {@link #BLOCK} entries, at row starts. */
    private static int[] rowCuts(CooMatrix a) {
        int n = a.nnz();
        IntStream.Builder cuts = IntStream.builder().add(0);
        int e = BLOCK;
        while (e < n) {
            while (e < n && a.row()[e] == a.row()[e - 1]) {
                e++;
            }
            if (e < n) {
                cuts.add(e);
            }
            e += BLOCK;
        }
        cuts.add(n);
        return cuts.build().toArray();
    }
}
