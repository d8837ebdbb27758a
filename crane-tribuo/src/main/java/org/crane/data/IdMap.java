package org.crane.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Maps external ids (non-negative integers as written in the data) to dense indices 0..n-1 in
 * increasing id order, and back. Immutable.
 */
public final class IdMap implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] sortedIds;

    private IdMap(long[] sortedIds) {
        this.sortedIds = sortedIds;
    }

    /**
     * @param ids external ids, any order, duplicates allowed.
     * @return the map over the distinct ids.
     */
    public static IdMap of(long[] ids) {
        long[] s = ids.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[n++] = s[i];
            }
        }
        return new IdMap(Arrays.copyOf(s, n));
    }

    /**
     * The identity map over 0..n-1.
     * @param n the number of ids.
     * @return the map.
     */
    public static IdMap dense(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return new IdMap(s);
    }

    /** @return the number of ids. */
    public int size() {
        return sortedIds.length;
    }

    /**
     * @param id an external id.
     * @return its dense index, or -1 when unknown.
     */
    public int index(long id) {
        int i = Arrays.binarySearch(sortedIds, id);
        return i >= 0 ? i : -1;
    }

    /**
     * @param id an external id as text.
     * @return its dense index, or -1 when unknown or not an integer.
     */
    public int index(String id) {
        try {
            return index(Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param index a dense index.
     * @return the external id as text.
     */
    public String externalId(int index) {
        return Long.toString(sortedIds[index]);
    }
}
