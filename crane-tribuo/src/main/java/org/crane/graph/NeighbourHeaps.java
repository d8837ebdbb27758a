package org.crane.graph;

/**
 * One bounded heap of the k best neighbours per item, in flat arrays (no object per item), with the
 * current k-th best score of each item kept apart so that most candidates are rejected by a single
 * comparison. Ordering and ties follow {@link TopK}: higher score first, then the lower index.
 */
final class NeighbourHeaps {
    private final int k;
    private final int[] item;
    private final float[] score;
    private final int[] size;
    /** The worst kept score of each full heap; negative infinity while the heap has room. */
    private final float[] bar;

    NeighbourHeaps(int n, int k) {
        this.k = k;
        this.item = new int[n * k];
        this.score = new float[n * k];
        this.size = new int[n];
        this.bar = new float[n];
        java.util.Arrays.fill(bar, Float.NEGATIVE_INFINITY);
    }

    /**
     * Offers neighbour {@code j} with similarity {@code s} to item {@code owner}.
     */
    void offer(int owner, int j, float s) {
        if (s < bar[owner]) {
            return;
        }
        int base = owner * k;
        int sz = TopK.push(item, score, base, size[owner], k, j, s);
        size[owner] = sz;
        if (sz == k) {
            bar[owner] = score[base];
        }
    }

    /** @return each item's worst kept score (negative infinity while its heap has room); read-only for callers. */
    float[] bars() {
        return bar;
    }

    /** @return the most neighbours a heap keeps. */
    int capacity() {
        return k;
    }

    /**
     * @param owner an item.
     * @param out receives its kept neighbours, in heap order (at least {@link #capacity()} long).
     * @return how many it keeps.
     */
    int items(int owner, int[] out) {
        System.arraycopy(item, owner * k, out, 0, size[owner]);
        return size[owner];
    }

    /**
     * Sorts every heap best first and writes item {@code r}'s neighbours to {@code cols[r * k ..]}.
     * @param cols receives n * k neighbour indices.
     */
    void sortedInto(int[] cols) {
        int n = size.length;
        for (int r = 0; r < n; r++) {
            if (size[r] != k) {
                throw new IllegalStateException("item " + r + " received " + size[r] + " of " + k + " neighbours");
            }
            TopK.sortHeap(item, score, r * k, k);
        }
        System.arraycopy(item, 0, cols, 0, cols.length);
    }
}
