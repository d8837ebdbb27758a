package org.crane.cli;

import org.crane.graph.SimilarityScorer;

/**
 * Behavioural item similarity: the cosine of two items' columns of the binary training interaction
 * matrix, {@code |U_a ∩ U_b| / sqrt(|U_a| |U_b|)} with U_i the users who interacted with item i.
 * Each row of a block is accumulated over its item's users' item lists (cost: the sum over the
 * item's users of their list lengths), so no item x item matrix is ever formed; an item with no
 * interaction is similar to nothing (0). Holds no state between calls.
 */
public final class CoInteractionScorer implements SimilarityScorer {
    private final int numItems;
    private final int[][] usersByItem;
    private final int[][] itemsByUser;

    /**
     * @param itemsByUser each user's training items (distinct).
     * @param numItems N; every item id must be below it.
     * @throws IllegalArgumentException naming the first user with an item id out of range.
     */
    public CoInteractionScorer(int[][] itemsByUser, int numItems) {
        this.numItems = numItems;
        this.itemsByUser = itemsByUser;
        int[] degree = new int[numItems];
        for (int u = 0; u < itemsByUser.length; u++) {
            for (int i : itemsByUser[u]) {
                if (i < 0 || i >= numItems) {
                    throw new IllegalArgumentException("user " + u + " has item " + i + ", outside [0, " + numItems + ")");
                }
                degree[i]++;
            }
        }
        usersByItem = new int[numItems][];
        for (int i = 0; i < numItems; i++) {
            usersByItem[i] = new int[degree[i]];
        }
        int[] fill = new int[numItems];
        for (int u = 0; u < itemsByUser.length; u++) {
            for (int i : itemsByUser[u]) {
                usersByItem[i][fill[i]++] = u;
            }
        }
    }

    @Override
    public void similarities(int rowFrom, int rowTo, int colFrom, int colTo, float[] out) {
        int width = colTo - colFrom;
        int[] counts = new int[numItems];
        for (int a = rowFrom; a < rowTo; a++) {
            for (int u : usersByItem[a]) {
                for (int b : itemsByUser[u]) {
                    counts[b]++;
                }
            }
            int off = (a - rowFrom) * width - colFrom;
            double da = usersByItem[a].length;
            for (int b = colFrom; b < colTo; b++) {
                int c = counts[b];
                out[off + b] = c == 0 ? 0f : (float) (c / Math.sqrt(da * usersByItem[b].length));
            }
            for (int u : usersByItem[a]) {
                for (int b : itemsByUser[u]) {
                    counts[b] = 0;
                }
            }
        }
    }

    @Override
    public int numItems() {
        return numItems;
    }
}
