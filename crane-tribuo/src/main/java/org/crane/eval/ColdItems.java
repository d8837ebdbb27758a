package org.crane.eval;

import org.crane.ItemId;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;

import java.util.HashSet;
import java.util.Set;

/**
 * Splits evaluation rows by whether their item has training interactions: "cold" rows name an item
 * nobody interacted with in training (reachable only through its features), "warm" rows the rest.
 * Metrics over each part are computed as usual (full ranking over the whole catalogue, training
 * items masked), averaged over the users that have at least one row in that part.
 */
public final class ColdItems {
    private final Set<String> trainItems = new HashSet<>();

    /** @param train the training interactions. */
    public ColdItems(Dataset<ItemId> train) {
        for (Example<ItemId> ex : train) {
            trainItems.add(ex.getOutput().getId());
        }
    }

    /**
     * @param item an item id.
     * @return whether no training interaction names it.
     */
    public boolean isCold(String item) {
        return !trainItems.contains(item);
    }

    /**
     * @param data evaluation rows.
     * @param cold true for the rows on cold items, false for the others.
     * @return those rows, with the data's provenance.
     */
    public MutableDataset<ItemId> rows(Dataset<ItemId> data, boolean cold) {
        MutableDataset<ItemId> out = new MutableDataset<>(data.getProvenance(), data.getOutputFactory());
        for (Example<ItemId> ex : data) {
            if (isCold(ex.getOutput().getId()) == cold) {
                out.add(ex);
            }
        }
        return out;
    }

    /**
     * @param relevant evaluation items per user (dense indices; null rows allowed).
     * @param numItems N.
     * @param trainByUser training items per user (dense indices).
     * @param cold true to keep cold items, false to keep warm ones.
     * @return the same lists restricted to one part (null where nothing is left).
     */
    public static int[][] restrict(int[][] relevant, int numItems, int[][] trainByUser, boolean cold) {
        boolean[] seen = new boolean[numItems];
        for (int[] row : trainByUser) {
            if (row != null) {
                for (int i : row) {
                    seen[i] = true;
                }
            }
        }
        int[][] out = new int[relevant.length][];
        for (int u = 0; u < relevant.length; u++) {
            if (relevant[u] != null) {
                int[] kept = java.util.Arrays.stream(relevant[u]).filter(i -> i >= 0 && i < numItems && seen[i] != cold).toArray();
                out[u] = kept.length == 0 ? null : kept;
            }
        }
        return out;
    }
}
