package org.crane.train;

import org.crane.graph.CooMatrix;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java first layer of local steps against plain products of the same matrix and its transpose. */
class FirstLayerTest {
    private static final int D = 8;

    /** Rows in ascending order, repeated columns, several parallel blocks when {@code perRow} is large. */
    private static CooMatrix rows(SplittableRandom rnd, int rows, int cols, int perRow) {
        int nnz = rows * perRow;
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        float[] v = new float[nnz];
        for (int k = 0; k < nnz; k++) {
            r[k] = k / perRow;
            c[k] = rnd.nextInt(cols);
            v[k] = (float) rnd.nextDouble(-1, 1);
        }
        return new CooMatrix(rows, cols, r, c, v);
    }

    /** The same matrix, entries in column order (a stable sort, independent of LocalBatch's). */
    private static CooMatrix byColumn(CooMatrix a) {
        Integer[] order = new Integer[a.nnz()];
        for (int e = 0; e < order.length; e++) {
            order[e] = e;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(e -> a.col()[e]));
        int[] r = new int[order.length];
        int[] c = new int[order.length];
        float[] v = new float[order.length];
        for (int q = 0; q < order.length; q++) {
            r[q] = a.row()[order[q]];
            c[q] = a.col()[order[q]];
            v[q] = a.value()[order[q]];
        }
        return new CooMatrix(a.rows(), a.cols(), r, c, v);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void forwardIsTheProductAndBackwardAddsTheTransposeProduct() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int perRow : new int[]{3, 700}) {   // 700 x 60 entries: one task per core, cut at column starts
            CooMatrix rowOrder = rows(rnd, 60, 500, perRow);
            CooMatrix a = byColumn(rowOrder);
            for (int e = 1; e < a.nnz(); e++) {
                assertTrue(a.col()[e - 1] <= a.col()[e], "column order");
            }
            float[] table = random(rnd, 500 * D);
            assertClose(rowOrder.multiply(table, D), a.multiply(table, D), "the same matrix");
            float[] y = FirstLayer.forward(a, FloatBuffer.wrap(table), D);
            assertClose(a.multiply(table, D), y, "forward");

            float[] g = random(rnd, 60 * D);
            float[] before = random(rnd, 500 * D);
            FloatBuffer target = FloatBuffer.wrap(before.clone());
            FirstLayer.backward(a, FloatBuffer.wrap(g), target, D);
            CooMatrix t = new CooMatrix(a.cols(), a.rows(), a.col(), a.row(), a.value());
            float[] expected = t.multiply(g, D);
            for (int k = 0; k < expected.length; k++) {
                expected[k] += before[k];
            }
            assertClose(expected, target.array(), "backward");
        }
    }

    @Test
    void theBackwardIsTheForwardsGradientByFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(4);
        CooMatrix a = byColumn(rows(rnd, 5, 7, 4));
        float[] tf = random(rnd, 7 * D);
        float[] w = random(rnd, 5 * D);   // loss = sum(w * forward(table))
        FloatBuffer grad = FloatBuffer.allocate(tf.length);
        FirstLayer.backward(a, FloatBuffer.wrap(w), grad, D);
        float h = 1e-2f;
        for (int k = 0; k < tf.length; k++) {
            float[] up = tf.clone();
            float[] down = tf.clone();
            up[k] += h;
            down[k] -= h;
            double fd = (loss(a, up, w) - loss(a, down, w)) / (2 * h);
            assertEquals(fd, grad.get(k), 1e-3, "entry " + k);
        }
    }

    @Test
    void aGradientOfTheWrongSizeIsRefused() {
        CooMatrix a = rows(new SplittableRandom(5), 4, 6, 2);
        assertThrows(IllegalStateException.class, () -> FirstLayer.backward(a, FloatBuffer.allocate(3 * D), FloatBuffer.allocate(6 * D), D));
    }

    private static double loss(CooMatrix a, float[] table, float[] w) {
        float[] y = FirstLayer.forward(a, FloatBuffer.wrap(table), D);
        double s = 0;
        for (int k = 0; k < y.length; k++) {
            s += (double) w[k] * y[k];
        }
        return s;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-4 * (1 + Math.abs(expected[k])), what + " [" + k + "]");
        }
    }
}
