package org.crane.eval;

import org.crane.RankingScorer;

/**
 * The popularity baseline: every user gets the items with the most training interactions, minus
 * the user's own training items.
 */
public final class PopularityScorer implements RankingScorer {
    private final float[] popularity;
    private final int[][] seen;

    /**
     * @param itemsByUser each user's sorted training items (dense user index).
     * @param numItems the catalogue size.
     */
    public PopularityScorer(int[][] itemsByUser, int numItems) {
        this.seen = itemsByUser;
        this.popularity = new float[numItems];
        for (int[] items : itemsByUser) {
            for (int i : items) {
                popularity[i]++;
            }
        }
    }

    @Override
    public int numItems() {
        return popularity.length;
    }

    @Override
    public int numUsers() {
        return seen.length;
    }

    @Override
    public int userIndex(String userId) {
        throw new UnsupportedOperationException("dense indices only");
    }

    @Override
    public void scoreUsers(int[] users, float[] out) {
        for (int j = 0; j < users.length; j++) {
            System.arraycopy(popularity, 0, out, j * popularity.length, popularity.length);
        }
    }

    @Override
    public int[] excludedItems(int user) {
        return seen[user];
    }
}
