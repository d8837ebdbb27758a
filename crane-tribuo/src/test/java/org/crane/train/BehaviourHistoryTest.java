package org.crane.train;

import org.crane.engine.SparseKernel;
import org.crane.engine.SparseRows;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java history of local steps and the row layout it multiplies by, against COO products. */
class BehaviourHistoryTest {
    private static final int M = 30;
    private static final int N = 17;
    private static final int D = 16;

    private static CooMatrix adjacency() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] items = new int[M][];
        for (int u = 0; u < M; u++) {
            items[u] = rng.ints(1 + rng.nextInt(6), 0, N).sorted().distinct().toArray();
        }
        return new InteractionGraph(M, N, items).normalizedAdjacency().toCoo();
    }

    @Test
    void rowsOfACooMatrixHoldEveryEntryOnceColumnsAscending() {
        CooMatrix a = adjacency();
        SparseRows r = SparseRows.of(a);
        assertEquals(a.nnz(), r.nonZeros());
        float[] x = new float[(M + N) * D];
        SplittableRandom rng = new SplittableRandom(4);
        for (int q = 0; q < x.length; q++) {
            x[q] = (float) rng.nextGaussian();
        }
        float[] want = a.multiply(x, D);
        float[] got = new float[want.length];
        SparseKernel.vectorised().orElseThrow().multiply(r, x, D, got);
        for (int q = 0; q < want.length; q++) {
            assertEquals(want[q], got[q], 1e-5f, "entry " + q);
        }
        for (int row = 0; row < r.rows(); row++) {
            for (int q = r.ptr()[row] + 1; q < r.ptr()[row + 1]; q++) {
                assertTrue(r.index()[q - 1] < r.index()[q], "columns ascending in row " + row);
            }
        }
    }

    @Test
    void theHistoryIsTheSumOfLayersTwoToL() {
        CooMatrix a = adjacency();
        SplittableRandom rng = new SplittableRandom(5);
        float[] e0 = new float[(M + N) * D];
        for (int q = 0; q < e0.length; q++) {
            e0[q] = (float) rng.nextGaussian();
        }
        FloatBuffer users = Tensors.staging(M * D).put(0, e0, 0, M * D);
        FloatBuffer items = Tensors.staging(N * D).put(0, e0, M * D, N * D);
        for (int layers = 2; layers <= 4; layers++) {
            BehaviourHistory h = new BehaviourHistory(SparseKernel.vectorised().orElseThrow(), M + N, D, layers);
            assertThrows(IllegalStateException.class, () -> h.refresh(users, items, Tensors.staging(e0.length)), "no adjacency yet");
            h.adjacency(a);
            FloatBuffer out = Tensors.staging(e0.length);
            h.refresh(users, items, out);
            float[] want = new float[e0.length];
            float[] e = e0;
            for (int l = 1; l <= layers; l++) {
                e = a.multiply(e, D);
                if (l >= 2) {
                    for (int q = 0; q < want.length; q++) {
                        want[q] += e[q];
                    }
                }
            }
            float[] got = new float[e0.length];
            out.get(0, got);
            for (int q = 0; q < want.length; q++) {
                assertEquals(want[q], got[q], 1e-5f, "L = " + layers + ", entry " + q);
            }
            float[] again = new float[e0.length];
            h.refresh(users, items, out);
            out.get(0, again);
            assertArrayEquals(got, again, "a refresh at the same parameters gives the same history");
        }
        assertThrows(IllegalArgumentException.class, () -> new BehaviourHistory(SparseKernel.vectorised().orElseThrow(), M + N, D, 1));
    }
}
