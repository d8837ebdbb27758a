package org.crane.cli;

import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.Split;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticShapesTest {
    @Test
    void babyShapeHasExactCountsSkewedDegreesAndEverySplit() {
        SyntheticShapes.Shape s = SyntheticShapes.BABY;
        Interactions data = SyntheticShapes.interactions(s, 1);
        assertEquals(s.users(), data.numUsers());
        assertEquals(s.items(), data.numItems());
        assertEquals(s.interactions(), data.size());
        Set<Long> pairs = new HashSet<>();
        int[] perUser = new int[s.users()];
        int[] perItem = new int[s.items()];
        int[] perSplit = new int[3];
        for (int r = 0; r < data.size(); r++) {
            assertTrue(pairs.add(((long) data.user(r) << 32) | data.item(r)), "pair repeated at row " + r);
            perUser[data.user(r)]++;
            perItem[data.item(r)]++;
            perSplit[data.split(r).code()]++;
        }
        for (int c : perUser) {
            assertTrue(c >= 3);
        }
        assertTrue(perSplit[1] >= s.users() && perSplit[2] >= s.users(), "every user has valid and test rows");
        int max = java.util.Arrays.stream(perItem).max().orElse(0);
        assertTrue(max > 10 * s.interactions() / s.items(), "popularity is long-tailed: max degree " + max);
        FeatureMatrix f = SyntheticShapes.features("t", 50, 8, 2);
        assertEquals(400, f.values().length);
        FeatureMatrix relu = SyntheticShapes.reluFeatures("i", 200, 100, 2);
        double positive = 0;
        for (float v : relu.values()) {
            assertTrue(v >= 0f);
            positive += v > 0 ? 1 : 0;
        }
        assertEquals(0.2, positive / relu.values().length, 0.01, "a fifth of the entries non-zero");
    }

    @Test
    void viaFileGivesTheSameInteractionsWithFileProvenance(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Interactions a = SyntheticShapes.interactions(new SyntheticShapes.Shape("tiny", 50, 30, 400), 3);
        Interactions b = SyntheticShapes.viaFile(a, dir.resolve("tiny.inter"));
        assertEquals(a.size(), b.size());
        assertEquals(a.numItems(), b.numItems());
        for (int r = 0; r < a.size(); r++) {
            assertEquals(a.users().externalId(a.user(r)), b.users().externalId(b.user(r)));
            assertEquals(a.item(r), b.item(r));
            assertEquals(a.split(r), b.split(r));
        }
        assertTrue(b.source() != null, "read back from a file, so datasets get file provenance");
    }
}
