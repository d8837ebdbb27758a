package org.crane.spark;

import java.io.Serializable;

/**
 * One user's best items so far, best first, in the order of {@link org.crane.graph.TopK}: higher score
 * first, the lower item index on equal scores. Lists from disjoint item blocks merge into the list a
 * single pass over the whole catalogue would give.
 * @param items item indices, best first.
 * @param scores their scores.
 */
record TopList(int[] items, float[] scores) implements Serializable {
    /**
     * @param a one list.
     * @param b another list over different items.
     * @param k how many to keep.
     * @return the best {@code min(k, |a| + |b|)} items of both, best first.
     */
    static TopList merge(TopList a, TopList b, int k) {
        int n = Math.min(k, a.items.length + b.items.length);
        int[] items = new int[n];
        float[] scores = new float[n];
        int i = 0;
        int j = 0;
        for (int r = 0; r < n; r++) {
            boolean takeA = j >= b.items.length
                    || i < a.items.length && better(a.scores[i], a.items[i], b.scores[j], b.items[j]);
            if (takeA) {
                items[r] = a.items[i];
                scores[r] = a.scores[i++];
            } else {
                items[r] = b.items[j];
                scores[r] = b.scores[j++];
            }
        }
        return new TopList(items, scores);
    }

    /** The order of {@code TopK}: a higher score, or an equal score and a lower index. */
    private static boolean better(float s1, int i1, float s2, int i2) {
        return s1 > s2 || (s1 == s2 && i1 < i2);
    }
}
