package org.crane.train;

import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.IdMap;
import org.tribuo.Dataset;
import org.tribuo.Example;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Tribuo dataset of interaction examples turned into dense indices: users (in increasing id
 * order), each user's distinct training items, and the catalogue size.
 */
final class TrainingData {
    final IdMap users;
    final int numItems;
    final int[][] itemsByUser;
    final int numPairs;

    private TrainingData(IdMap users, int numItems, int[][] itemsByUser) {
        this.users = users;
        this.numItems = numItems;
        this.itemsByUser = itemsByUser;
        int p = 0;
        for (int[] a : itemsByUser) {
            p += a.length;
        }
        this.numPairs = p;
    }

    /**
     * @param train the training examples.
     * @param catalogue the catalogue size, or -1 to use the largest item id + 1.
     * @return the indexed data.
     */
    static TrainingData of(Dataset<ItemId> train, int catalogue) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("The training dataset is empty");
        }
        long[] userIds = new long[train.size()];
        int[] items = new int[train.size()];
        int k = 0;
        int maxItem = -1;
        for (Example<ItemId> ex : train) {
            userIds[k] = parseUser(RankingEvaluator.userOf(ex));
            items[k] = parseItem(ex.getOutput().getId(), catalogue);
            maxItem = Math.max(maxItem, items[k]);
            k++;
        }
        IdMap users = IdMap.of(userIds);
        int n = catalogue >= 0 ? catalogue : maxItem + 1;
        List<List<Integer>> lists = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            lists.add(new ArrayList<>());
        }
        for (int q = 0; q < k; q++) {
            lists.get(users.index(userIds[q])).add(items[q]);
        }
        int[][] byUser = new int[users.size()][];
        for (int u = 0; u < byUser.length; u++) {
            byUser[u] = lists.get(u).stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        }
        return new TrainingData(users, n, byUser);
    }

    /**
     * Relevant items per known user of an evaluation dataset (users unknown here are skipped).
     * @param eval the evaluation examples.
     * @return per dense user index, sorted items (null when none).
     */
    int[][] relevant(Dataset<ItemId> eval) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            lists.add(null);
        }
        for (Example<ItemId> ex : eval) {
            int u = users.index(parseUser(RankingEvaluator.userOf(ex)));
            if (u < 0) {
                continue;
            }
            int i;
            try {
                i = Integer.parseInt(ex.getOutput().getId());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Item id '" + ex.getOutput().getId() + "' is not an integer");
            }
            if (lists.get(u) == null) {
                lists.set(u, new ArrayList<>());
            }
            lists.get(u).add(i >= 0 && i < numItems ? i : -1 - Math.abs(i));
        }
        int[][] out = new int[users.size()][];
        for (int u = 0; u < out.length; u++) {
            if (lists.get(u) != null) {
                out[u] = lists.get(u).stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
            }
        }
        return out;
    }

    /** @return training interactions per item. */
    float[] popularity() {
        float[] pop = new float[numItems];
        for (int[] a : itemsByUser) {
            for (int i : a) {
                pop[i]++;
            }
        }
        return pop;
    }

    /**
     * The (user, positive item) pairs BPR trains on, in user order: every training interaction except
     * those of a user who has interacted with every training item, who has no negative to draw (a
     * warning names how many; they stay in the graphs).
     * @return {users, items}, of equal length.
     * @throws IllegalArgumentException when no pair is left.
     */
    int[][] bprPairs() {
        int nTrainItems = trainItems().length;
        int saturated = 0;
        int usable = 0;
        for (int[] items : itemsByUser) {
            if (items.length >= nTrainItems) {
                saturated++;
            } else {
                usable += items.length;
            }
        }
        if (saturated > 0) {
            java.util.logging.Logger.getLogger(CraneTrainer.class.getName()).warning(saturated + " users have interacted with every "
                    + "training item; their rows have no negative and are left out of the loss (they stay in the graphs)");
        }
        if (usable == 0) {
            throw new IllegalArgumentException("Every user has interacted with every training item: there is nothing to rank");
        }
        int[] users = new int[usable];
        int[] items = new int[usable];
        int q = 0;
        for (int u = 0; u < itemsByUser.length; u++) {
            if (itemsByUser[u].length >= nTrainItems) {
                continue;
            }
            for (int i : itemsByUser[u]) {
                users[q] = u;
                items[q++] = i;
            }
        }
        return new int[][]{users, items};
    }

    /** @return the items that occur in training, sorted. */
    int[] trainItems() {
        boolean[] seen = new boolean[numItems];
        for (int[] a : itemsByUser) {
            for (int i : a) {
                seen[i] = true;
            }
        }
        int[] out = new int[numItems];
        int n = 0;
        for (int i = 0; i < numItems; i++) {
            if (seen[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static long parseUser(String id) {
        try {
            long v = Long.parseLong(id);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("User id '" + id + "' is not a non-negative integer");
        }
    }

    private static int parseItem(String id, int catalogue) {
        int i;
        try {
            i = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Item id '" + id + "' is not a non-negative integer");
        }
        if (i < 0 || (catalogue >= 0 && i >= catalogue)) {
            throw new IllegalArgumentException("Item id " + i + " is out of range: the item features cover items 0.." + (catalogue - 1));
        }
        return i;
    }
}
