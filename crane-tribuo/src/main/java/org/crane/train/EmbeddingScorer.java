package org.crane.train;

import org.crane.RankingScorer;
import org.crane.engine.Session;
import org.crane.model.DotProductScorer;

/** Scores users against items by dot products of given representations (validation during training). */
final class EmbeddingScorer implements RankingScorer, AutoCloseable {
    private final DotProductScorer dot;
    private final int[][] seen;

    EmbeddingScorer(Session dotSession, float[] userEmb, float[] itemEmb, int d, int[][] seen) {
        this.dot = new DotProductScorer(dotSession, userEmb, itemEmb, d);
        this.seen = seen;
    }

    @Override
    public int numItems() {
        return dot.numItems();
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
        dot.score(users, out);
    }

    @Override
    public int[] excludedItems(int user) {
        return seen[user];
    }

    @Override
    public void close() {
        dot.close();
    }
}
