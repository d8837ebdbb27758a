package org.crane.train;

import org.crane.graph.CooMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModalityWeighting}: weights from how much better than chance each graph links one user's training items. */
class ModalityWeightingTest {
    private static final int N = 60;

    /** Items 0-59 in six clusters of ten; each user interacts with four items of one cluster. */
    private static int[][] users(Random rnd) {
        int[][] u = new int[300][];
        for (int q = 0; q < u.length; q++) {
            int c = rnd.nextInt(6);
            u[q] = rnd.ints(0, 10).distinct().limit(4).map(i -> c * 10 + i).sorted().toArray();
        }
        return u;
    }

    /** Each item linked to k others: within its cluster (informative) or at random. */
    private static CooMatrix graph(Random rnd, boolean clustered, int k) {
        int[] row = new int[N * k];
        int[] col = new int[N * k];
        float[] v = new float[N * k];
        for (int i = 0; i < N; i++) {
            int self = i;
            int[] nb = clustered
                    ? rnd.ints(0, 10).map(j -> self / 10 * 10 + j).filter(j -> j != self).distinct().limit(k).toArray()
                    : rnd.ints(0, N).filter(j -> j != self).distinct().limit(k).toArray();
            for (int q = 0; q < k; q++) {
                row[i * k + q] = i;
                col[i * k + q] = nb[q];
                v[i * k + q] = 1f / k;
            }
        }
        return new CooMatrix(N, N, row, col, v);
    }

    @Test
    void aGraphThatLinksCoInteractedItemsTakesTheWeightAndTheOrderDoesNotMatter() {
        Random rnd = new Random(1);
        int[][] u = users(rnd);
        CooMatrix informative = graph(rnd, true, 4);
        CooMatrix random = graph(rnd, false, 4);
        double[] w = ModalityWeighting.fromTraining(List.of("random", "informative"), List.of(random, informative), u);
        assertEquals(1.0, w[0] + w[1], 1e-12);
        assertTrue(w[1] > 0.9, "the clustered graph carries the signal: " + java.util.Arrays.toString(w));
        double[] swapped = ModalityWeighting.fromTraining(List.of("informative", "random"), List.of(informative, random), u);
        assertArrayEquals(new double[]{w[1], w[0]}, swapped, 1e-12);
    }

    @Test
    void graphsNoBetterThanChanceShareTheWeightEqually() {
        Random rnd = new Random(2);
        int[][] u = users(rnd);
        double[] w = ModalityWeighting.fromTraining(List.of("a", "b", "c"), List.of(graph(rnd, false, 4), graph(rnd, false, 4), graph(rnd, false, 4)), u);
        assertArrayEquals(new double[]{1.0 / 3, 1.0 / 3, 1.0 / 3}, w, 1e-12);
    }
}
