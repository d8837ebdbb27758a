package org.crane.eval;

import org.crane.graph.CooMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GraphAgreementTest {
    @Test
    void countsEveryTrainingHeldOutPairOnceAndIgnoresSelfEdges() {
        // 4 items; neighbours: 0 -> {0, 1}, 1 -> {1, 2, 3}, 2 -> {0}, 3 -> {3} (self only)
        int[] row = {0, 0, 1, 1, 1, 2, 3};
        int[] col = {0, 1, 1, 2, 3, 0, 3};
        CooMatrix g = new CooMatrix(4, 4, row, col, new float[row.length]);
        int[][] train = {{0, 1}, {2}, {3}, {}};
        int[][] heldOut = {{1, 3}, {0, 2}, {2}, {1}};
        // user 0: (0,1) yes, (0,3) no, (1,1) skipped, (1,3) yes; user 1: (2,0) yes, (2,2) skipped;
        // user 2: (3,2) no; user 3: no training item
        GraphAgreement a = GraphAgreement.of("g", g, train, heldOut);
        assertEquals(5, a.pairs());
        assertEquals(3, a.covered());
        assertEquals(0.6, a.share(), 1e-12);
        assertEquals(1.0, a.meanNeighbours(), 1e-12); // 1 + 2 + 1 + 0 non-self neighbours over 4 items
    }

    @Test
    void noPairsIsShareZeroAndMismatchedInputsFail() {
        CooMatrix g = new CooMatrix(2, 2, new int[]{0}, new int[]{1}, new float[]{1});
        assertEquals(0, GraphAgreement.of("g", g, new int[][]{{0}}, new int[][]{{}}).share());
        assertThrows(IllegalArgumentException.class, () -> GraphAgreement.of("g", g, new int[][]{{0}}, new int[][]{}));
        assertThrows(IllegalArgumentException.class,
                () -> GraphAgreement.of("g", new CooMatrix(2, 3, new int[0], new int[0], new float[0]), new int[][]{}, new int[][]{}));
    }
}
