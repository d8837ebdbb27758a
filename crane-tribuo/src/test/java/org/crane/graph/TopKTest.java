package org.crane.graph;

import org.junit.jupiter.api.RepeatedTest;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bounded heap against a full sort, on fresh random rows with ties and exclusions. */
class TopKTest {
    @RepeatedTest(20)
    void matchesFullSort() {
        Random rnd = new Random();
        int n = 1 + rnd.nextInt(300);
        int k = 1 + rnd.nextInt(60);
        float[] scores = new float[n + 3];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = rnd.nextInt(20) / 4f; // many ties
        }
        int[] excluded = IntStream.range(0, n).filter(i -> rnd.nextInt(5) == 0).toArray();
        int[] out = new int[k];
        float[] outScores = new float[k];
        int len = TopK.select(scores, 3, n, excluded, k, out, outScores);
        Integer[] all = IntStream.range(0, n).filter(i -> Arrays.binarySearch(excluded, i) < 0).boxed().toArray(Integer[]::new);
        Arrays.sort(all, Comparator.<Integer>comparingDouble(i -> -scores[3 + i]).thenComparingInt(i -> i));
        int expectLen = Math.min(k, all.length);
        assertEquals(expectLen, len);
        int[] expect = new int[expectLen];
        for (int j = 0; j < expectLen; j++) {
            expect[j] = all[j];
            assertEquals(scores[3 + all[j]], outScores[j]);
        }
        assertArrayEquals(expect, Arrays.copyOf(out, len));
    }
}
