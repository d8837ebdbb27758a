package org.crane.train;

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
    /** For each cold item: its warm neighbours and their weights (null rows without any). */
    private final int[][] coldNeighbours;
    private final float[][] coldWeights;

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
    ViewFusion(int numUsers, int numItems, int d, int[] trainItems, org.crane.graph.CooMatrix neighbours) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.d = d;
        this.coldNeighbours = new int[numItems][];
        this.coldWeights = new float[numItems][];
        if (trainItems == null) {
            this.cold = null;
            return;
        }
        this.cold = new boolean[numItems];
        java.util.Arrays.fill(cold, true);
        for (int i : trainItems) {
            cold[i] = false;
        }
        if (neighbours == null) {
            return;
        }
        int[] count = new int[numItems];
        for (int e = 0; e < neighbours.nnz(); e++) {
            int i = neighbours.row()[e];
            int j = neighbours.col()[e];
            if (cold[i] && !cold[j] && neighbours.value()[e] > 0) {
                count[i]++;
            }
        }
        for (int i = 0; i < numItems; i++) {
            if (count[i] > 0) {
                coldNeighbours[i] = new int[count[i]];
                coldWeights[i] = new float[count[i]];
            }
        }
        int[] fill = new int[numItems];
        for (int e = 0; e < neighbours.nnz(); e++) {
            int i = neighbours.row()[e];
            int j = neighbours.col()[e];
            if (cold[i] && !cold[j] && neighbours.value()[e] > 0) {
                coldNeighbours[i][fill[i]] = j;
                coldWeights[i][fill[i]++] = neighbours.value()[e];
            }
        }
    }

    /**
     * @param emb the embedding graph's outputs: fused users, fused items, Z (or null), behaviour
     *        users, behaviour items.
     * @param beta the semantic view's scale.
     * @return users and items at that scale.
     */
    /**
     * The part of the score that the semantic view contributes, over held-out (user, item) pairs:
     * {@code 1 - mean(behaviour score) / mean(fused score)}; 0 when the scale is 0.
     * @param fused users and items at the chosen scale.
     * @param behaviour users and items at scale 0 (cold items' rows dropped).
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

    float[][] fuse(float[][] emb, double beta) {
        if (cold == null) {
            return new float[][]{emb[0], emb[1]};
        }
        float b = (float) beta;
        float[] u = new float[numUsers * d];
        float[] ub = emb[3];
        for (int q = 0; q < u.length; q++) {
            u[q] = ub[q] + b * (emb[0][q] - ub[q]);
        }
        float[] i = new float[numItems * d];
        float[] ib = emb[4];
        float[] borrowed = new float[d];
        for (int r = 0; r < numItems; r++) {
            for (int c = r * d; c < (r + 1) * d; c++) {
                i[c] = (cold[r] ? 0f : ib[c]) + b * (emb[1][c] - ib[c]);
            }
            if (cold[r] && coldNeighbours[r] != null) {
                // the behaviour of the items its features resemble
                java.util.Arrays.fill(borrowed, 0f);
                float total = 0;
                for (int q = 0; q < coldNeighbours[r].length; q++) {
                    int j = coldNeighbours[r][q];
                    float w = coldWeights[r][q];
                    total += w;
                    for (int c = 0; c < d; c++) {
                        borrowed[c] += w * ib[j * d + c];
                    }
                }
                for (int c = 0; c < d; c++) {
                    i[r * d + c] += borrowed[c] / total;
                }
            }
        }
        return new float[][]{u, i};
    }
}
