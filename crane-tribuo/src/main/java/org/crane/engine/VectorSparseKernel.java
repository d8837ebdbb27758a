package org.crane.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * {@link SparseKernel} on 256-bit vectors (8 floats, AVX2): each output row is accumulated in
 * registers, 64 columns at a time, one column block of the sparse matrix after the other, so the
 * rows of {@code b} read by one block stay in the core's L2 cache. Rows are split into chunks over
 * the common fork-join pool. Loaded reflectively by {@link SparseKernel#vectorised()} only.
 */
final class VectorSparseKernel implements SparseKernel {
    private static final VectorSpecies<Float> S = org.crane.graph.FloatLanes.SPECIES;
    /** Rows per parallel work item. */
    private static final int CHUNK = 64;

    VectorSparseKernel() {
    }

    @Override
    public void multiply(SparseRows a, float[] b, int width, float[] out) {
        if (width % 8 != 0 || width <= 0) {
            throw new IllegalArgumentException("width must be a positive multiple of 8, got " + width);
        }
        if ((long) a.cols() * width != b.length || (long) a.rows() * width > out.length) {
            throw new IllegalArgumentException("shapes: " + a + " . [" + b.length + " values] with width " + width
                    + " into " + out.length + " values");
        }
        int rows = a.rows();
        int chunks = (rows + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int r1 = Math.min(rows, (c + 1) * CHUNK);
            java.util.Arrays.fill(out, c * CHUNK * width, r1 * width, 0f);
            for (int blk = 0; blk < a.blocks(); blk++) {
                for (int r = c * CHUNK; r < r1; r++) {
                    int from = a.ptr()[blk * rows + r];
                    int to = a.ptr()[blk * rows + r + 1];
                    if (from == to) {
                        continue;
                    }
                    int o = r * width;
                    int col = 0;
                    for (; col + 64 <= width; col += 64) {
                        accumulate64(a.index(), a.value(), from, to, b, width, col, out, o + col);
                    }
                    for (; col < width; col += 8) {
                        FloatVector acc = FloatVector.fromArray(S, out, o + col);
                        for (int q = from; q < to; q++) {
                            acc = FloatVector.fromArray(S, b, a.index()[q] * width + col).fma(FloatVector.broadcast(S, a.value()[q]), acc);
                        }
                        acc.intoArray(out, o + col);
                    }
                }
            }
        });
    }

    @Override
    public void multiplyTransposed(SparseRows a, float[] g, int width, float[] out) {
        if (width % 8 != 0 || width <= 0) {
            throw new IllegalArgumentException("width must be a positive multiple of 8, got " + width);
        }
        if ((long) a.rows() * width != g.length || (long) a.cols() * width > out.length) {
            throw new IllegalArgumentException("shapes: " + a + "^T . [" + g.length + " values] with width " + width
                    + " into " + out.length + " values");
        }
        int rows = a.rows();
        int[] index = a.index();
        float[] value = a.value();
        // a column block's output rows (block x width floats, 128 KB at 512 x 64) stay in the core's L2
        // cache while every row's entries of that block are added into them: one thread per block
        IntStream.range(0, a.blocks()).parallel().forEach(blk -> {
            java.util.Arrays.fill(out, blk * a.block() * width, Math.min(a.cols(), (blk + 1) * a.block()) * width, 0f);
            int[] ptr = a.ptr();
            for (int r = 0; r < rows; r++) {
                int from = ptr[blk * rows + r];
                int to = ptr[blk * rows + r + 1];
                if (from == to) {
                    continue;
                }
                int gr = r * width;
                int col = 0;
                for (; col + 64 <= width; col += 64) {
                    scatter64(index, value, from, to, g, gr + col, out, width, col);
                }
                for (; col < width; col += 8) {
                    FloatVector gv = FloatVector.fromArray(S, g, gr + col);
                    for (int q = from; q < to; q++) {
                        int o = index[q] * width + col;
                        gv.fma(FloatVector.broadcast(S, value[q]), FloatVector.fromArray(S, out, o)).intoArray(out, o);
                    }
                }
            }
        });
    }

    /** For every entry q: {@code out[index[q] * width + col ..] += value[q] * g[gr ..]}, 64 floats, {@code g}'s in eight registers. */
    private static void scatter64(int[] index, float[] value, int from, int to, float[] g, int gr, float[] out, int width, int col) {
        FloatVector g0 = FloatVector.fromArray(S, g, gr);
        FloatVector g1 = FloatVector.fromArray(S, g, gr + 8);
        FloatVector g2 = FloatVector.fromArray(S, g, gr + 16);
        FloatVector g3 = FloatVector.fromArray(S, g, gr + 24);
        FloatVector g4 = FloatVector.fromArray(S, g, gr + 32);
        FloatVector g5 = FloatVector.fromArray(S, g, gr + 40);
        FloatVector g6 = FloatVector.fromArray(S, g, gr + 48);
        FloatVector g7 = FloatVector.fromArray(S, g, gr + 56);
        for (int q = from; q < to; q++) {
            FloatVector v = FloatVector.broadcast(S, value[q]);
            int o = index[q] * width + col;
            g0.fma(v, FloatVector.fromArray(S, out, o)).intoArray(out, o);
            g1.fma(v, FloatVector.fromArray(S, out, o + 8)).intoArray(out, o + 8);
            g2.fma(v, FloatVector.fromArray(S, out, o + 16)).intoArray(out, o + 16);
            g3.fma(v, FloatVector.fromArray(S, out, o + 24)).intoArray(out, o + 24);
            g4.fma(v, FloatVector.fromArray(S, out, o + 32)).intoArray(out, o + 32);
            g5.fma(v, FloatVector.fromArray(S, out, o + 40)).intoArray(out, o + 40);
            g6.fma(v, FloatVector.fromArray(S, out, o + 48)).intoArray(out, o + 48);
            g7.fma(v, FloatVector.fromArray(S, out, o + 56)).intoArray(out, o + 56);
        }
    }

    /** {@code out[o .. o + 64] += sum over entries q of value[q] * b[index[q] * width + col ..]}, in eight registers. */
    private static void accumulate64(int[] index, float[] value, int from, int to, float[] b, int width, int col,
                                     float[] out, int o) {
        FloatVector a0 = FloatVector.fromArray(S, out, o);
        FloatVector a1 = FloatVector.fromArray(S, out, o + 8);
        FloatVector a2 = FloatVector.fromArray(S, out, o + 16);
        FloatVector a3 = FloatVector.fromArray(S, out, o + 24);
        FloatVector a4 = FloatVector.fromArray(S, out, o + 32);
        FloatVector a5 = FloatVector.fromArray(S, out, o + 40);
        FloatVector a6 = FloatVector.fromArray(S, out, o + 48);
        FloatVector a7 = FloatVector.fromArray(S, out, o + 56);
        for (int q = from; q < to; q++) {
            FloatVector v = FloatVector.broadcast(S, value[q]);
            int p = index[q] * width + col;
            a0 = FloatVector.fromArray(S, b, p).fma(v, a0);
            a1 = FloatVector.fromArray(S, b, p + 8).fma(v, a1);
            a2 = FloatVector.fromArray(S, b, p + 16).fma(v, a2);
            a3 = FloatVector.fromArray(S, b, p + 24).fma(v, a3);
            a4 = FloatVector.fromArray(S, b, p + 32).fma(v, a4);
            a5 = FloatVector.fromArray(S, b, p + 40).fma(v, a5);
            a6 = FloatVector.fromArray(S, b, p + 48).fma(v, a6);
            a7 = FloatVector.fromArray(S, b, p + 56).fma(v, a7);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + 8);
        a2.intoArray(out, o + 16);
        a3.intoArray(out, o + 24);
        a4.intoArray(out, o + 32);
        a5.intoArray(out, o + 40);
        a6.intoArray(out, o + 48);
        a7.intoArray(out, o + 56);
    }
}
