package org.crane.cli;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoInteractionScorerTest {
    @Test
    void blocksEqualTheCosineOfTheInteractionColumns() {
        Random rnd = new Random(3);
        int m = 40;
        int n = 23;
        int[][] items = new int[m][];
        double[][] r = new double[m][n];
        for (int u = 0; u < m; u++) {
            items[u] = rnd.ints(rnd.nextInt(6), 0, n - 1).distinct().sorted().toArray(); // item n-1: never seen
            for (int i : items[u]) {
                r[u][i] = 1;
            }
        }
        CoInteractionScorer s = new CoInteractionScorer(items, n);
        assertEquals(n, s.numItems());
        int[][] ranges = {{0, n, 0, n}, {3, 11, 5, 20}, {20, 23, 0, 7}};
        for (int[] q : ranges) {
            int w = q[3] - q[2];
            float[] out = new float[(q[1] - q[0]) * w];
            s.similarities(q[0], q[1], q[2], q[3], out);
            for (int a = q[0]; a < q[1]; a++) {
                for (int b = q[2]; b < q[3]; b++) {
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int u = 0; u < m; u++) {
                        dot += r[u][a] * r[u][b];
                        na += r[u][a];
                        nb += r[u][b];
                    }
                    double want = dot == 0 ? 0 : dot / Math.sqrt(na * nb);
                    assertEquals(want, out[(a - q[0]) * w + (b - q[2])], 1e-6, "items " + a + ", " + b);
                }
            }
        }
        float[] self = new float[1];
        s.similarities(n - 1, n, n - 1, n, self);
        assertEquals(0f, self[0], "an item nobody interacted with is similar to nothing");
    }

    @Test
    void anItemOutOfRangeNamesTheUser() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CoInteractionScorer(new int[][]{{0, 1}, {2, 5}}, 5));
        assertTrue(e.getMessage().contains("user 1") && e.getMessage().contains("item 5"), e.getMessage());
    }
}
