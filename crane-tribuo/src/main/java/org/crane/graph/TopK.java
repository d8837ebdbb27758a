package org.crane.graph;

/**
 * Top-K selection with a bounded min-heap: O(n log k) per row, no full sort. Ties are broken by the
 * lower item index, so rankings are deterministic. Items in an exclusion list (sorted ascending,
 * e.g. a user's training items) are skipped.
 */
public final class TopK {
    private TopK() {
    }

    /**
     * Selects the best {@code k} items of one score row.
     * @param scores scores, row-major.
     * @param offset where the row starts in {@code scores}.
     * @param n the number of items in the row.
     * @param excluded items to skip, sorted ascending (may be empty).
     * @param k how many to select.
     * @param outItems receives the selected item indices, best first.
     * @param outScores receives their scores (may be null).
     * @return how many were selected: {@code min(k, n - |excluded within range|)}.
     */
    public static int select(float[] scores, int offset, int n, int[] excluded, int k, int[] outItems, float[] outScores) {
        if (k <= 0) {
            return 0;
        }
        int[] heapItem = outItems;
        float[] heapScore = new float[k];
        int size = 0;
        int ex = 0;
        for (int i = 0; i < n; i++) {
            while (ex < excluded.length && excluded[ex] < i) {
                ex++;
            }
            if (ex < excluded.length && excluded[ex] == i) {
                continue;
            }
            size = push(heapItem, heapScore, 0, size, k, i, scores[offset + i]);
        }
        // heap sort in place: repeatedly move the worst to the end
        sortHeap(heapItem, heapScore, 0, size);
        if (outScores != null) {
            System.arraycopy(heapScore, 0, outScores, 0, size);
        }
        return size;
    }

    /**
     * Offers item {@code j} with score {@code s} to a bounded heap (worst on top) of at most {@code k}
     * entries at {@code base}: added while there is room, else in place of the worst if it ranks above it.
     * @param item the heap's items.
     * @param score their scores.
     * @param base where the heap starts.
     * @param size its entries now.
     * @param k its capacity.
     * @param j the item offered.
     * @param s its score.
     * @return the heap's entries after the offer.
     */
    static int push(int[] item, float[] score, int base, int size, int k, int j, float s) {
        if (size < k) {
            item[base + size] = j;
            score[base + size] = s;
            siftUp(item, score, base, size);
            return size + 1;
        }
        if (better(s, j, score[base], item[base])) {
            item[base] = j;
            score[base] = s;
            siftDown(item, score, base, 0, size);
        }
        return size;
    }

    /** True when (s1, i1) ranks above (s2, i2): higher score, or equal score and lower index. */
    static boolean better(float s1, int i1, float s2, int i2) {
        return s1 > s2 || (s1 == s2 && i1 < i2);
    }

    /**
     * Turns a heap (worst on top) stored at {@code base .. base + size - 1} into a list sorted best first.
     */
    static void sortHeap(int[] item, float[] score, int base, int size) {
        for (int end = size - 1; end > 0; end--) {
            swap(item, score, base, base + end);
            siftDown(item, score, base, 0, end);
        }
    }

    /** Restores the heap order (worst on top) after adding element {@code pos} of the heap at {@code base}. */
    static void siftUp(int[] item, float[] score, int base, int pos) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (better(score[base + parent], item[base + parent], score[base + pos], item[base + pos])) {
                swap(item, score, base + parent, base + pos);
                pos = parent;
            } else {
                return;
            }
        }
    }

    /** Restores the heap order (worst on top) after replacing element {@code pos} of the heap at {@code base}. */
    static void siftDown(int[] item, float[] score, int base, int pos, int size) {
        while (true) {
            int l = 2 * pos + 1;
            if (l >= size) {
                return;
            }
            int worst = l;
            int r = l + 1;
            if (r < size && better(score[base + l], item[base + l], score[base + r], item[base + r])) {
                worst = r;
            }
            if (better(score[base + pos], item[base + pos], score[base + worst], item[base + worst])) {
                swap(item, score, base + pos, base + worst);
                pos = worst;
            } else {
                return;
            }
        }
    }

    private static void swap(int[] item, float[] score, int a, int b) {
        int ti = item[a];
        item[a] = item[b];
        item[b] = ti;
        float ts = score[a];
        score[a] = score[b];
        score[b] = ts;
    }
}
