package org.crane.eval;

import org.crane.RankingScorer;

/** A scorer over a fixed users x items score matrix, with dense ids "0".."n-1", for tests. */
public final class MatrixScorer implements RankingScorer {
    private final float[][] scores;
    private final int[][] excluded;

    /**
     * @param scores per user, one score per item.
     * @param excluded per user, sorted excluded items.
     */
    public MatrixScorer(float[][] scores, int[][] excluded) {
        this.scores = scores;
        this.excluded = excluded;
    }

    @Override
    public int numItems() {
        return scores[0].length;
    }

    @Override
    public int numUsers() {
        return scores.length;
    }

    @Override
    public int userIndex(String userId) {
        try {
            int u = Integer.parseInt(userId);
            return u >= 0 && u < scores.length ? u : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void scoreUsers(int[] users, float[] out) {
        int n = numItems();
        for (int j = 0; j < users.length; j++) {
            System.arraycopy(scores[users[j]], 0, out, j * n, n);
        }
    }

    @Override
    public int[] excludedItems(int user) {
        return excluded[user];
    }
}
