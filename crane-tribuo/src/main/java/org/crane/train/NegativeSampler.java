package org.crane.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws, for a user, one training item uniformly among those the user has not interacted with. */
final class NegativeSampler {
    private final int[][] itemsByUser;
    private final int[] candidates;

    NegativeSampler(int[][] itemsByUser, int[] trainItems) {
        this.itemsByUser = itemsByUser;
        this.candidates = trainItems;
    }

    int sample(int user, SplittableRandom rng) {
        int[] own = itemsByUser[user];
        if (own.length >= candidates.length) {
            throw new IllegalArgumentException("User " + user + " has interacted with every training item; no negative exists");
        }
        while (true) {
            int i = candidates[rng.nextInt(candidates.length)];
            if (Arrays.binarySearch(own, i) < 0) {
                return i;
            }
        }
    }
}
