package org.crane.eval;

import org.crane.graph.CooMatrix;

import java.util.Arrays;

/**
 * The recall of an approximate kNN graph against the exact one: over every item, the share of its
 * exact neighbours (self excluded) that the approximate graph also lists. 1 means the same graph.
 */
public final class NeighbourRecall {
    private NeighbourRecall() {
    }

    /**
     * @param exact the exact graph, N x N.
     * @param approximate the approximate graph of the same items.
     * @return found / wanted over all items' non-self neighbours (1 when there are none).
     */
    public static double of(CooMatrix exact, CooMatrix approximate) {
        if (exact.rows() != approximate.rows()) {
            throw new IllegalArgumentException("graphs of " + exact.rows() + " and " + approximate.rows() + " items");
        }
        int[][] want = rows(exact);
        int[][] got = rows(approximate);
        long wanted = 0;
        long found = 0;
        for (int i = 0; i < want.length; i++) {
            for (int j : want[i]) {
                if (j != i) {
                    wanted++;
                    if (Arrays.binarySearch(got[i], j) >= 0) {
                        found++;
                    }
                }
            }
        }
        return wanted == 0 ? 1 : (double) found / wanted;
    }

    /** @return each row's neighbours, sorted. */
    private static int[][] rows(CooMatrix g) {
        int[] count = new int[g.rows()];
        for (int e = 0; e < g.nnz(); e++) {
            count[g.row()[e]]++;
        }
        int[][] out = new int[g.rows()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = new int[count[r]];
        }
        int[] at = new int[g.rows()];
        for (int e = 0; e < g.nnz(); e++) {
            int r = g.row()[e];
            out[r][at[r]++] = g.col()[e];
        }
        for (int[] r : out) {
            Arrays.sort(r);
        }
        return out;
    }
}
