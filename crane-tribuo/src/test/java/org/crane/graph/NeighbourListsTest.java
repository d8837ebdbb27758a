package org.crane.graph;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourListsTest {

    /** The product read from the lists the way the graph does (padding = cols, perm past the end = 0). */
    private static long[] product(NeighbourLists l, long[] x, int d) {
        long[][] results = new long[l.single().length + bucketRows(l)][d];
        int pos = 0;
        for (int c : l.single()) {
            for (int j = 0; j < d; j++) {
                results[pos][j] = x[c * d + j];
            }
            pos++;
        }
        for (int b = 0; b < l.buckets().length; b++) {
            int w = l.widths()[b];
            for (int r = 0; r < l.buckets()[b].length / w; r++, pos++) {
                for (int k = 0; k < w; k++) {
                    int c = l.buckets()[b][r * w + k];
                    if (c == l.cols()) {
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        results[pos][j] += x[c * d + j];
                    }
                }
            }
        }
        long[] y = new long[l.rows() * d];
        for (int r = 0; r < l.rows(); r++) {
            if (l.perm()[r] < results.length) {
                System.arraycopy(results[l.perm()[r]], 0, y, r * d, d);
            } else {
                assertEquals(results.length, l.perm()[r], "an empty row points at the zero row");
            }
        }
        return y;
    }

    private static int bucketRows(NeighbourLists l) {
        int n = 0;
        for (int b = 0; b < l.buckets().length; b++) {
            n += l.buckets()[b].length / l.widths()[b];
        }
        return n;
    }

    @Test
    void listsReproduceTheCoordinateProduct() {
        Random rnd = new Random();
        long seed = rnd.nextLong();
        rnd.setSeed(seed);
        for (int trial = 0; trial < 20; trial++) {
            int rows = 1 + rnd.nextInt(60);
            int cols = 1 + rnd.nextInt(40);
            int nnz = rnd.nextInt(400);
            int[] row = new int[nnz];
            int[] col = new int[nnz];
            for (int k = 0; k < nnz; k++) {
                // skewed degrees, repeated entries and empty rows
                row[k] = (int) (rows * Math.pow(rnd.nextDouble(), 3));
                col[k] = rnd.nextInt(cols);
            }
            int d = 3;
            long[] x = new long[cols * d];
            for (int q = 0; q < x.length; q++) {
                x[q] = rnd.nextInt(1000) - 500;
            }
            long[] want = new long[rows * d];
            for (int k = 0; k < nnz; k++) {
                for (int j = 0; j < d; j++) {
                    want[row[k] * d + j] += x[col[k] * d + j];
                }
            }
            for (int buckets : new int[]{1, 2, 5, 16}) {
                NeighbourLists l = NeighbourLists.of(rows, cols, row, col, buckets);
                assertEquals(buckets, l.widths().length);
                assertArrayEquals(want, product(l, x, d), "seed " + seed + ", trial " + trial + ", " + buckets + " buckets");
                long padded = l.paddedSize();
                assertTrue(padded >= nnz, "padded size below nnz");
            }
        }
    }

    @Test
    void bucketWidthsMinimisePadding() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            long[] count = new long[2 + rnd.nextInt(12)];
            for (int deg = 2; deg < count.length; deg++) {
                count[deg] = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(50);
            }
            int buckets = 1 + rnd.nextInt(4);
            int[] w = NeighbourLists.widths(count, buckets);
            for (int b = 1; b < w.length; b++) {
                assertTrue(w[b] >= w[b - 1], "ascending widths");
            }
            assertEquals(bruteForce(count, buckets), padding(count, w), "trial " + trial);
        }
    }

    /** Padded size when each degree uses the first bucket wide enough (as NeighbourLists.of does). */
    private static long padding(long[] count, int[] w) {
        long s = 0;
        for (int deg = 2; deg < count.length; deg++) {
            if (count[deg] == 0) {
                continue;
            }
            int b = 0;
            while (w[b] < deg) {
                b++;
            }
            s += count[deg] * w[b];
        }
        return s;
    }

    /** Least padded size over every choice of at most k widths among the present degrees. */
    private static long bruteForce(long[] count, int k) {
        java.util.List<Integer> present = new java.util.ArrayList<>();
        for (int deg = 2; deg < count.length; deg++) {
            if (count[deg] > 0) {
                present.add(deg);
            }
        }
        if (present.isEmpty()) {
            return 0;
        }
        long best = Long.MAX_VALUE;
        int u = present.size();
        for (int mask = 0; mask < (1 << u); mask++) {
            // the largest degree must be a width; at most k widths
            if ((mask & (1 << (u - 1))) == 0 || Integer.bitCount(mask) > k) {
                continue;
            }
            int[] w = new int[Integer.bitCount(mask)];
            for (int j = 0, q = 0; j < u; j++) {
                if ((mask & (1 << j)) != 0) {
                    w[q++] = present.get(j);
                }
            }
            best = Math.min(best, padding(count, w));
        }
        return best;
    }

    @Test
    void oneEntryAndEmptyRowsNeedNoBucket() {
        NeighbourLists l = NeighbourLists.of(4, 3, new int[]{1, 3, 3}, new int[]{2, 0, 1}, 2);
        assertArrayEquals(new int[]{2}, l.single());
        assertEquals(2, l.perm()[0], "empty row 0 points past the two class rows");
        assertEquals(2, l.perm()[2], "empty row 2 too");
        assertEquals(0, l.perm()[1]);
        assertEquals(1, l.perm()[3]);
        assertEquals(3, l.paddedSize());
    }

    @Test
    void entriesOutsideTheMatrixAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeighbourLists.of(3, 3, new int[]{0, 3}, new int[]{1, 1}, 2));
        assertTrue(e.getMessage().contains("Entry 1 at (3, 1)"), e.getMessage());
    }
}
