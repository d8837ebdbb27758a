package org.crane.graph;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphTest {
    @Test
    void normalisedAdjacencyIsSymmetricWithInverseSqrtDegrees() {
        InteractionGraph g = new InteractionGraph(2, 3, new int[][]{{0, 1}, {1}});
        CooMatrix a = g.normalizedAdjacency().toCoo();
        assertEquals(6, a.nnz());
        float[] dense = new float[25];
        for (int k = 0; k < a.nnz(); k++) {
            dense[a.row()[k] * 5 + a.col()[k]] += a.value()[k];
        }
        // user 0 (deg 2) - item 1 (node 3, deg 2): 1/sqrt(2*2)
        assertEquals(0.5f, dense[3], 1e-6f);
        assertEquals(dense[3], dense[3 * 5], 0f);
        // user 1 (deg 1) - item 1 (deg 2)
        assertEquals((float) (1 / Math.sqrt(2)), dense[5 + 3], 1e-6f);
        // item 2 has no edge
        for (int c = 0; c < 5; c++) {
            assertEquals(0f, dense[4 * 5 + c]);
        }
    }

    @Test
    void pruningKeepsTheRightCountDeterministicallyAndFavoursLowDegreeEdges() {
        Random rnd = new Random(1);
        int m = 400;
        int n = 100;
        int[][] items = new int[m][];
        for (int u = 0; u < m; u++) {
            // item 0 is very popular: its edges have high degree products
            int[] own = rnd.ints(4, 1, n).distinct().toArray();
            items[u] = u % 2 == 0 ? append(own, 0) : own;
            Arrays.sort(items[u]);
        }
        InteractionGraph g = new InteractionGraph(m, n, items);
        int[] a = g.sampleEdges(0.2, new SplittableRandom(3));
        int[] b = g.sampleEdges(0.2, new SplittableRandom(3));
        assertArrayEquals(a, b);
        assertEquals((int) Math.floor(0.2 * g.numEdges()), a.length);
        // fraction of item-0 edges among kept edges is below its share among all edges
        int popularAll = 0;
        for (int[] it : items) {
            if (it[0] == 0) {
                popularAll++;
            }
        }
        int popularKept = 0;
        int[] userOf = new int[g.numEdges()];
        int[] itemOf = new int[g.numEdges()];
        int e = 0;
        for (int u = 0; u < m; u++) {
            for (int i : items[u]) {
                userOf[e] = u;
                itemOf[e++] = i;
            }
        }
        for (int k : a) {
            if (itemOf[k] == 0) {
                popularKept++;
            }
        }
        double shareAll = (double) popularAll / g.numEdges();
        double shareKept = (double) popularKept / a.length;
        assertTrue(shareKept < 0.6 * shareAll, "popular-item share kept " + shareKept + " vs overall " + shareAll);
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    @Test
    void knnMatchesBruteForceCosineWithSelfIncluded() {
        Random rnd = new Random(2);
        int n = 700;
        int dim = 6;
        float[] x = new float[n * dim];
        for (int q = 0; q < x.length; q++) {
            x[q] = (float) rnd.nextGaussian();
        }
        int k = 5;
        CooMatrix s = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        assertEquals(n * k, s.nnz());
        for (int r = 0; r < n; r += 37) {
            double[] cos = new double[n];
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double nr = 0;
                double nj = 0;
                for (int c = 0; c < dim; c++) {
                    dot += x[r * dim + c] * x[j * dim + c];
                    nr += x[r * dim + c] * x[r * dim + c];
                    nj += x[j * dim + c] * x[j * dim + c];
                }
                cos[j] = j == r ? Double.POSITIVE_INFINITY : dot / Math.sqrt(nr * nj);
            }
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (p, q) -> Double.compare(cos[q], cos[p]));
            int[] want = new int[k];
            int[] got = new int[k];
            for (int j = 0; j < k; j++) {
                want[j] = order[j];
                got[j] = s.col()[r * k + j];
                assertEquals(r, s.row()[r * k + j]);
                assertEquals(1f / k, s.value()[r * k + j]);
            }
            Arrays.sort(want);
            Arrays.sort(got);
            assertArrayEquals(want, got, "row " + r);
            assertEquals(r, s.col()[r * k], "self first");
        }
    }

    @Test
    void tiledSymmetricSweepEqualsAFullRowSelectionWhateverTheTileShape() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 301;
        int dim = 4;
        float[] x = new float[n * dim];
        for (int q = 0; q < x.length; q++) {
            x[q] = (float) rnd.nextGaussian();
        }
        // exact ties: items 7, 150 and 300 repeat item 3; item 11 is all zeros (cosine 0 with everyone)
        for (int dup : new int[]{7, 150, 300}) {
            System.arraycopy(x, 3 * dim, x, dup * dim, dim);
        }
        Arrays.fill(x, 11 * dim, 12 * dim, 0f);
        SimilarityScorer scorer = KnnGraphBuilder.javaCosine(x, dim);
        int k = 6;
        // reference: every full row at once, self forced first, TopK's order (score, then lower index)
        float[] row = new float[n];
        int[] want = new int[n * k];
        int[] top = new int[k];
        for (int r = 0; r < n; r++) {
            scorer.similarities(r, r + 1, 0, n, row);
            // a tile computes (r, j) for j > r only; below the diagonal it reuses (j, r)
            for (int j = 0; j < r; j++) {
                float[] one = new float[1];
                scorer.similarities(j, j + 1, r, r + 1, one);
                row[j] = one[0];
            }
            row[r] = Float.POSITIVE_INFINITY;
            assertEquals(k, TopK.select(row, 0, n, new int[0], k, top, null));
            System.arraycopy(top, 0, want, r * k, k);
        }
        assertEquals(3, want[3 * k], "self first");
        assertEquals(7, want[3 * k + 1], "the lowest-index twin ranks next");
        for (int[] tiles : new int[][]{{1, 1}, {7, 3}, {3, 7}, {64, 50}, {300, 301}, {1024, 8192}}) {
            CooMatrix s = KnnGraphBuilder.build(scorer, k, tiles[0], tiles[1]);
            assertArrayEquals(want, s.col(), "tiles " + tiles[0] + " x " + tiles[1]);
            for (int q = 0; q < n * k; q++) {
                assertEquals(q / k, s.row()[q]);
            }
        }
    }

    @Test
    void moreNeighboursThanItemsKeepsEveryItem() {
        float[] x = {1, 0, 0, 1, 1, 1};
        CooMatrix s = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, 2), 10, 2, 1);
        assertEquals(9, s.nnz());
        assertArrayEquals(new int[]{0, 2, 1, 1, 2, 0, 2, 0, 1}, s.col());
        assertEquals(1f / 3, s.value()[4]);
    }

    @Test
    void userMeanRowsAverage() {
        InteractionGraph g = new InteractionGraph(2, 3, new int[][]{{0, 2}, {1}});
        float[] h = {1, 10, 100, 1000, 5, 7};
        float[] y = g.userMeanMatrix().multiply(h, 2);
        assertArrayEquals(new float[]{(1 + 5) / 2f, (10 + 7) / 2f, 100, 1000}, y, 1e-6f);
    }
}
