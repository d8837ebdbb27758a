package org.crane.spark;

import org.crane.graph.TopK;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Per-block top-K lists merged per user equal one top-K over the whole row (ties included). */
class TopListTest {
    @Test
    void mergedBlockListsEqualOneSelectionOverTheWholeRow() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(300);
            int k = 1 + rnd.nextInt(25);
            int block = 1 + rnd.nextInt(60);
            float[] row = new float[n];
            for (int i = 0; i < n; i++) {
                row[i] = rnd.nextInt(12) / 4f;   // few distinct values: many ties
            }
            int[] seen = rnd.ints(rnd.nextInt(n / 2 + 1), 0, n).sorted().distinct().toArray();
            int[] items = new int[Math.min(k, n)];
            float[] scores = new float[items.length];
            int got = TopK.select(row, 0, n, seen, items.length, items, scores);
            TopList merged = new TopList(new int[0], new float[0]);
            for (int start = 0; start < n; start += block) {
                int count = Math.min(block, n - start);
                int[] local = BlockPairs.within(seen, start, count);
                int[] bi = new int[Math.min(k, count)];
                float[] bs = new float[bi.length];
                int m = TopK.select(row, start, count, local, bi.length, bi, bs);
                int[] global = new int[m];
                for (int r = 0; r < m; r++) {
                    global[r] = bi[r] + start;
                }
                merged = TopList.merge(merged, new TopList(global, Arrays.copyOf(bs, m)), k);
            }
            assertArrayEquals(Arrays.copyOf(items, got), merged.items(), "trial " + trial);
            assertArrayEquals(Arrays.copyOf(scores, got), merged.scores(), "trial " + trial);
        }
    }

    @Test
    void withinKeepsTheBlocksItemsRelativeToItsStart() {
        assertArrayEquals(new int[]{0, 4}, BlockPairs.within(new int[]{1, 3, 10, 14, 15, 20}, 10, 5));
        assertArrayEquals(new int[0], BlockPairs.within(new int[]{1, 3}, 10, 5));
        assertArrayEquals(new int[]{2}, BlockPairs.within(new int[]{2}, 0, 3));
    }
}
