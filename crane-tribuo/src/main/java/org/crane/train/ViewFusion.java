package org.crane.train;

import org.crane.graph.CooMatrix;

/**
 * Final representations from the two views at a chosen scale of the semantic one:
 * {@code e_u = Ebar_u + beta HU_u} and {@code e_i = Ebar_i + beta HI_i}, read off the embedding
 * graph's fused ({@code beta = 1}) and behaviour-only outputs as {@code Ebar + beta (fused - Ebar)}.
 * An item without training interactions has no behaviour: its ID embedding never received a
 * gradient, so its behaviour row is replaced using its features alone: by the weighted mean of the
 * behaviour rows of its neighbours with training interactions in the item-item kNN graph of the raw
 * features (when such a graph is given), else by zeros ({@code e_i = beta HI_i}).
 */
final class ViewFusion {
    private final int numUsers;
    private final int numItems;
    private final int d;
    private final boolean[] cold;
    /** Cold rows to their warm neighbours, each row's weights summing to 1; null without a graph or cold items. */
    private final CooMatrix borrow;

    /**
     * @param numUsers M.
     * @param numItems N.
     * @param d embedding size.
     * @param trainItems the items with training interactions, or null when there is no semantic
     *        view (LightGCN: representations are used as they are).
     */
    ViewFusion(int numUsers, int numItems, int d, int[] trainItems) {
        this(numUsers, numItems, d, trainItems, null);
    }

    /**
     * @param numUsers M.
     * @param numItems N.
     * @param d embedding size.
     * @param trainItems the items with training interactions, or null when there is no semantic view.
     * @param neighbours the item-item graph whose rows give a cold item's neighbours and weights, or null.
     */
    ViewFusion(int numUsers, int numItems, int d, int[] trainItems, CooMatrix neighbours) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.d = d;
        if (trainItems == null) {
            this.cold = null;
            this.borrow = null;
            return;
        }
        this.cold = new boolean[numItems];
        java.util.Arrays.fill(cold, true);
        for (int i : trainItems) {
            cold[i] = false;
        }
        this.borrow = neighbours == null ? null : borrowing(neighbours);
    }

    /** The graph's entries from a cold item to a warm one, each row normalised to sum 1. */
    private CooMatrix borrowing(CooMatrix g) {
        float[] total = new float[numItems];
        int kept = 0;
        for (int e = 0; e < g.nnz(); e++) {
            if (lends(g, e)) {
                total[g.row()[e]] += g.value()[e];
                kept++;
            }
        }
        int[] row = new int[kept];
        int[] col = new int[kept];
        float[] value = new float[kept];
        int q = 0;
        for (int e = 0; e < g.nnz(); e++) {
            if (lends(g, e)) {
                row[q] = g.row()[e];
                col[q] = g.col()[e];
                value[q++] = g.value()[e] / total[g.row()[e]];
            }
        }
        return kept == 0 ? null : new CooMatrix(numItems, numItems, row, col, value);
    }

    private boolean lends(CooMatrix g, int e) {
        return cold[g.row()[e]] && !cold[g.col()[e]] && g.value()[e] > 0;
    }

    /**
     * The part of the score that the semantic view contributes, over held-out (user, item) pairs:
     * {@code 1 - mean(behaviour score) / mean(fused score)}; 0 when the scale is 0.
     * @param fused users and items at the chosen scale.
     * @param behaviour users and items at scale 0 (cold items' rows replaced).
     * @param relevant held-out items per user (null rows skipped).
     * @param d embedding size.
     * @return the share (NaN without pairs).
     */
    static double semanticShare(float[][] fused, float[][] behaviour, int[][] relevant, int d) {
        double sf = 0;
        double sb = 0;
        for (int u = 0; u < relevant.length; u++) {
            if (relevant[u] == null) {
                continue;
            }
            for (int i : relevant[u]) {
                if (i < 0 || (long) (i + 1) * d > fused[1].length) {
                    continue;
                }
                for (int c = 0; c < d; c++) {
                    sf += (double) fused[0][u * d + c] * fused[1][i * d + c];
                    sb += (double) behaviour[0][u * d + c] * behaviour[1][i * d + c];
                }
            }
        }
        return sf == 0 ? Double.NaN : 1 - sb / sf;
    }

    /**
     * @param emb the embedding graph's outputs: fused users, fused items, Z (or null), behaviour
     *        users, behaviour items.
     * @return the two views of these representations, to be mixed at any scale.
     */
    Views views(float[][] emb) {
        return new Views(emb);
    }

    /**
     * @param emb the embedding graph's outputs (see {@link #views}).
     * @param beta the semantic view's scale.
     * @return users and items at that scale.
     */
    float[][] fuse(float[][] emb, double beta) {
        return views(emb).at(beta);
    }

    /** One epoch's representations: the behaviour rows (cold items' replaced) worked out once for every scale. */
    final class Views {
        private final float[][] emb;
        private final float[] behaviourItems;

        private Views(float[][] emb) {
            this.emb = emb;
            if (cold == null) {
                this.behaviourItems = null;
                return;
            }
            // a cold item's behaviour: its warm feature neighbours' (or none), never its untrained ID row
            float[] b = borrow == null ? new float[numItems * d] : borrow.multiply(emb[4], d);
            for (int r = 0; r < numItems; r++) {
                if (!cold[r]) {
                    System.arraycopy(emb[4], r * d, b, r * d, d);
                }
            }
            this.behaviourItems = b;
        }

        /**
         * @param beta the semantic view's scale.
         * @return users {@code Ebar_u + beta (e_u - Ebar_u)} and items likewise, from the behaviour rows.
         */
        float[][] at(double beta) {
            if (cold == null) {
                return new float[][]{emb[0], emb[1]};
            }
            float b = (float) beta;
            float[] ub = emb[3];
            float[] ib = emb[4];
            float[] u = new float[numUsers * d];
            for (int q = 0; q < u.length; q++) {
                u[q] = ub[q] + b * (emb[0][q] - ub[q]);
            }
            float[] i = new float[numItems * d];
            for (int q = 0; q < i.length; q++) {
                i[q] = behaviourItems[q] + b * (emb[1][q] - ib[q]);
            }
            return new float[][]{u, i};
        }

        /** @return users and items of the behaviour view alone (scale 0), without a copy. */
        float[][] behaviour() {
            return cold == null ? new float[][]{emb[0], emb[1]} : new float[][]{emb[3], behaviourItems};
        }
    }
}
