package org.crane.engine;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked sparse layout and the vector-API product against dense float64 arithmetic. */
class SparseKernelTest {

    /** ReLU-like values: about {@code density} of them non-zero, some rows and columns all zero. */
    private static float[] sparse(SplittableRandom rng, int rows, int cols, double density) {
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            if (r % 7 == 3) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                if (c % 11 != 5 && rng.nextDouble() < density) {
                    x[r * cols + c] = (float) (rng.nextDouble() * 2);
                }
            }
        }
        return x;
    }

    @Test
    void blockedRowsHoldEveryNonZeroOnce() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int block : new int[]{1, 3, 16, 1000}) {
            float[] x = sparse(rng, 23, 37, 0.3);
            SparseRows a = SparseRows.of(x, 23, 37, block);
            float[] back = new float[x.length];
            for (int b = 0; b < a.blocks(); b++) {
                for (int r = 0; r < a.rows(); r++) {
                    int prev = -1;
                    for (int q = a.ptr()[b * a.rows() + r]; q < a.ptr()[b * a.rows() + r + 1]; q++) {
                        int c = a.index()[q];
                        assertTrue(c > prev && c / block == b, "columns ascending inside their block");
                        prev = c;
                        back[r * 37 + c] += a.value()[q];
                    }
                }
            }
            assertArrayEquals(x, back, "block " + block);
            long nonZeros = 0;
            for (float v : x) {
                nonZeros += v != 0f ? 1 : 0;
            }
            assertEquals(nonZeros, a.nonZeros());
            // rows read one at a time (as scaled features are) give the same layout
            SparseRows read = SparseRows.of(23, 37, block, (r, out) -> System.arraycopy(x, r * 37, out, 0, 37));
            assertArrayEquals(a.ptr(), read.ptr());
            assertArrayEquals(a.index(), read.index());
            assertArrayEquals(a.value(), read.value());
        }
        assertThrows(IllegalArgumentException.class, () -> SparseRows.of(new float[10], 3, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> SparseRows.of(new float[12], 3, 4, 0));
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int q = 0; q < n; q++) {
            v[q] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Test
    void theVectorKernelIsEnabledInThisBuild() {
        assertTrue(SparseKernel.vectorised().isPresent(), "the build's tests run with --add-modules jdk.incubator.vector");
    }

    @Test
    void productMatchesDenseArithmetic() {
        SparseKernel k = SparseKernel.vectorised().orElseThrow();
        SplittableRandom rng = new SplittableRandom(5);
        int[][] shapes = {{1, 1, 8}, {130, 70, 64}, {200, 513, 72}, {65, 40, 128}, {9, 1030, 24}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            int width = s[2];
            float[] x = sparse(rng, rows, cols, 0.25);
            float[] b = gaussian(rng, cols * width);
            float[] out = new float[rows * width];
            java.util.Arrays.fill(out, Float.NaN);   // every row is written, empty ones included
            k.multiply(SparseRows.of(x, rows, cols, 512), b, width, out);
            float[] again = new float[out.length];
            k.multiply(SparseRows.of(x, rows, cols, 7), b, width, again);
            assertArrayEquals(out, again, "each row is summed by one thread in column order: repeatable, whatever the blocks");
            assertFloat64Product((r, j) -> x[r * cols + j], rows, cols, b, width, out);
        }
        assertThrows(IllegalArgumentException.class, () -> k.multiply(SparseRows.of(new float[4], 2, 2, 2), new float[12], 6, new float[12]));
        assertThrows(IllegalArgumentException.class, () -> k.multiplyTransposed(SparseRows.of(new float[4], 2, 2, 2), new float[12], 6, new float[12]));
        assertThrows(IllegalArgumentException.class, () -> k.multiplyTransposed(SparseRows.of(new float[6], 3, 2, 2), new float[16], 8, new float[16]));
        assertThrows(IllegalArgumentException.class, () -> k.multiply(SparseRows.of(new float[4], 2, 2, 2), new float[8], 8, new float[8]));
    }

    /** The weight gradient's product {@code x^T g}, from x's own layout, against float64 arithmetic. */
    @Test
    void transposedProductMatchesDenseArithmetic() {
        SparseKernel k = SparseKernel.vectorised().orElseThrow();
        SplittableRandom rng = new SplittableRandom(6);
        int[][] shapes = {{1, 1, 8}, {130, 70, 64}, {200, 1100, 72}, {65, 40, 128}, {9, 1030, 24}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            int width = s[2];
            float[] x = sparse(rng, rows, cols, 0.25);
            float[] g = gaussian(rng, rows * width);
            float[] out = new float[cols * width];
            java.util.Arrays.fill(out, Float.NaN);   // every row is written, all-zero columns included
            k.multiplyTransposed(SparseRows.of(x, rows, cols, 512), g, width, out);
            float[] again = new float[out.length];
            k.multiplyTransposed(SparseRows.of(x, rows, cols, 512), g, width, again);
            assertArrayEquals(out, again, "each output row is summed by one thread in row order: repeatable");
            assertFloat64Product((j, r) -> x[r * cols + j], cols, rows, g, width, out);
        }
    }

    /** A dense matrix's entries by (row, column). */
    @FunctionalInterface
    private interface Entries {
        float at(int r, int j);
    }

    /** {@code out} is {@code a . b} ({@code a} given entry by entry, {@code rows x inner}) to float64 accuracy. */
    private static void assertFloat64Product(Entries a, int rows, int inner, float[] b, int width, float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                double want = 0;
                double scale = 0;
                for (int j = 0; j < inner; j++) {
                    double t = (double) a.at(r, j) * b[j * width + c];
                    want += t;
                    scale += Math.abs(t);
                }
                assertEquals(want, out[r * width + c], 1e-6 * scale + 1e-30, rows + "x" + inner + "x" + width + " at " + r + "," + c);
            }
        }
    }
}
