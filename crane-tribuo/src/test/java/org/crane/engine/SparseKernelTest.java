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
    void blockedRowsAndTheirTransposeHoldEveryNonZeroOnce() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int block : new int[]{1, 3, 16, 1000}) {
            float[] x = sparse(rng, 23, 37, 0.3);
            SparseRows a = SparseRows.of(x, 23, 37, block);
            SparseRows t = SparseRows.ofTransposed(x, 23, 37, block);
            assertEquals(37, t.rows());
            assertEquals(23, t.cols());
            float[] back = new float[x.length];
            float[] backT = new float[x.length];
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
            for (int b = 0; b < t.blocks(); b++) {
                for (int r = 0; r < t.rows(); r++) {
                    for (int q = t.ptr()[b * t.rows() + r]; q < t.ptr()[b * t.rows() + r + 1]; q++) {
                        backT[t.index()[q] * 37 + r] += t.value()[q];
                    }
                }
            }
            assertArrayEquals(x, back, "block " + block);
            assertArrayEquals(x, backT, "transpose, block " + block);
            assertEquals(a.nonZeros(), Math.round(SparseRows.density(x) * x.length));
        }
        assertThrows(IllegalArgumentException.class, () -> SparseRows.of(new float[10], 3, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> SparseRows.of(new float[12], 3, 4, 0));
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
            float[] b = new float[cols * width];
            for (int q = 0; q < b.length; q++) {
                b[q] = (float) rng.nextGaussian();
            }
            float[] out = new float[rows * width];
            java.util.Arrays.fill(out, Float.NaN);   // every row is written, empty ones included
            k.multiply(SparseRows.of(x, rows, cols, 512), b, width, out);
            float[] again = new float[out.length];
            k.multiply(SparseRows.of(x, rows, cols, 7), b, width, again);
            assertArrayEquals(out, again, "each row is summed by one thread in column order: repeatable, whatever the blocks");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    double want = 0;
                    double scale = 0;
                    for (int j = 0; j < cols; j++) {
                        want += (double) x[r * cols + j] * b[j * width + c];
                        scale += Math.abs((double) x[r * cols + j] * b[j * width + c]);
                    }
                    assertEquals(want, out[r * width + c], 1e-6 * scale + 1e-30, rows + "x" + cols + "x" + width + " at " + r + "," + c);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> k.multiply(SparseRows.of(new float[4], 2, 2, 2), new float[12], 6, new float[12]));
        assertThrows(IllegalArgumentException.class, () -> k.multiply(SparseRows.of(new float[4], 2, 2, 2), new float[8], 8, new float[8]));
    }
}
