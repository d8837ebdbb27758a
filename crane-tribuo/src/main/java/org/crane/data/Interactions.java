package org.crane.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * All interactions of one MMRec dataset, column-wise: dense user index, item index, weight and
 * split per row. Users are indexed densely in increasing external-id order ({@link #users()});
 * an item's index is its external id, so that row i of every modality matrix is item i.
 * Immutable.
 */
public final class Interactions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final IdMap users;
    private final int numItems;
    private final int[] user;
    private final int[] item;
    private final float[] weight;
    private final byte[] split;
    private final FileFingerprint source;

    /**
     * @param users the user id map.
     * @param numItems the catalogue size (item ids are 0..numItems-1).
     * @param user dense user index per row.
     * @param item item index per row.
     * @param weight weight per row (1 for implicit feedback).
     * @param split split code per row (0 train, 1 valid, 2 test).
     * @param source the file the rows came from, or null for generated data.
     */
    public Interactions(IdMap users, int numItems, int[] user, int[] item, float[] weight, byte[] split, FileFingerprint source) {
        int n = user.length;
        if (item.length != n || weight.length != n || split.length != n) {
            throw new IllegalArgumentException("Interaction columns differ in length");
        }
        for (int r = 0; r < n; r++) {
            if (user[r] < 0 || user[r] >= users.size()) {
                throw new IllegalArgumentException("Row " + r + ": user index " + user[r] + " out of range [0," + users.size() + ")");
            }
            if (item[r] < 0 || item[r] >= numItems) {
                throw new IllegalArgumentException("Row " + r + ": item index " + item[r] + " out of range [0," + numItems + ")");
            }
        }
        this.users = users;
        this.numItems = numItems;
        this.user = user;
        this.item = item;
        this.weight = weight;
        this.split = split;
        this.source = source;
    }

    /** @return the user id map. */
    public IdMap users() {
        return users;
    }

    /** @return the number of users. */
    public int numUsers() {
        return users.size();
    }

    /** @return the number of items (the catalogue size). */
    public int numItems() {
        return numItems;
    }

    /** @return the number of rows. */
    public int size() {
        return user.length;
    }

    /** @param row a row. @return its dense user index. */
    public int user(int row) {
        return user[row];
    }

    /** @param row a row. @return its item index. */
    public int item(int row) {
        return item[row];
    }

    /** @param row a row. @return its weight. */
    public float weight(int row) {
        return weight[row];
    }

    /** @param row a row. @return its split. */
    public Split split(int row) {
        return Split.values()[split[row]];
    }

    /** @return the source file's fingerprint, or null for generated data. */
    public FileFingerprint source() {
        return source;
    }

    /**
     * @param s a split.
     * @return how many rows it has.
     */
    public int count(Split s) {
        int c = 0;
        for (byte b : split) {
            if (b == s.code()) {
                c++;
            }
        }
        return c;
    }

    /**
     * @param s a split.
     * @return the row numbers in that split, in file order.
     */
    public int[] rows(Split s) {
        int[] r = new int[count(s)];
        int k = 0;
        for (int i = 0; i < split.length; i++) {
            if (split[i] == s.code()) {
                r[k++] = i;
            }
        }
        return r;
    }

    /**
     * Each user's items in a split, as sorted distinct item indices.
     * @param s the split.
     * @return one sorted array per user (empty for users with none).
     */
    public int[][] itemsByUser(Split s) {
        int[] deg = new int[numUsers()];
        for (int i = 0; i < user.length; i++) {
            if (split[i] == s.code()) {
                deg[user[i]]++;
            }
        }
        int[][] out = new int[numUsers()][];
        for (int u = 0; u < out.length; u++) {
            out[u] = new int[deg[u]];
        }
        int[] fill = new int[numUsers()];
        for (int i = 0; i < user.length; i++) {
            if (split[i] == s.code()) {
                out[user[i]][fill[user[i]]++] = item[i];
            }
        }
        for (int u = 0; u < out.length; u++) {
            int[] a = out[u];
            Arrays.sort(a);
            int n = 0;
            for (int j = 0; j < a.length; j++) {
                if (j == 0 || a[j] != a[j - 1]) {
                    a[n++] = a[j];
                }
            }
            out[u] = n == a.length ? a : Arrays.copyOf(a, n);
        }
        return out;
    }
}
