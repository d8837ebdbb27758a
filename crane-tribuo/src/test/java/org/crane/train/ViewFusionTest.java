package org.crane.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semantic view's scale and the cold-item rule of {@link ViewFusion}. */
class ViewFusionTest {
    @Test
    void scaleZeroIsTheBehaviourViewAndColdItemsKeepOnlyTheirFeatures() {
        // 2 users, 3 items, d = 2; item 1 has no training interaction
        float[] fusedU = {1, 2, 3, 4};
        float[] fusedI = {5, 6, 7, 8, 9, 10};
        float[] behU = {0.5f, 1, 1, 1};
        float[] behI = {1, 1, 2, 2, 3, 3};
        float[][] emb = {fusedU, fusedI, null, behU, behI};
        ViewFusion f = new ViewFusion(2, 3, 2, new int[]{0, 2});
        float[][] zero = f.fuse(emb, 0);
        assertArrayEquals(behU, zero[0]);
        assertArrayEquals(new float[]{1, 1, 0, 0, 3, 3}, zero[1], "a cold item has no behaviour row");
        float[][] one = f.fuse(emb, 1);
        assertArrayEquals(fusedU, one[0]);
        assertArrayEquals(new float[]{5, 6, 5, 6, 9, 10}, one[1], "a cold item is its semantic part HI = fused - behaviour");
        float[][] half = f.fuse(emb, 0.5);
        assertEquals(0.5f + 0.5f * (1 - 0.5f), half[0][0], 1e-6);
        assertEquals(0.5f * (7 - 2), half[1][2], 1e-6);
    }

    @Test
    void aColdItemBorrowsTheWeightedBehaviourOfItsWarmFeatureNeighbours() {
        // item 1 is cold; in the feature graph its neighbours are items 0 (weight 1), 2 (weight 3) and itself
        float[][] emb = {{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}, null, {0.5f, 1, 1, 1}, {1, 1, 2, 2, 3, 3}};
        org.crane.graph.CooMatrix g = new org.crane.graph.CooMatrix(3, 3, new int[]{1, 1, 1, 0}, new int[]{0, 2, 1, 2},
                new float[]{1, 3, 5, 1});
        ViewFusion f = new ViewFusion(2, 3, 2, new int[]{0, 2}, g);
        float[][] zero = f.fuse(emb, 0);
        // (1 * [1, 1] + 3 * [3, 3]) / 4 = [2.5, 2.5]; the cold item's own row and the warm rows' edges are not used
        assertArrayEquals(new float[]{1, 1, 2.5f, 2.5f, 3, 3}, zero[1]);
        float[][] one = f.fuse(emb, 1);
        assertArrayEquals(new float[]{5, 6, 2.5f + 5, 2.5f + 6, 9, 10}, one[1]);
    }

    @Test
    void theSemanticShareIsThePartOfTheHeldOutScoresTheBehaviourViewDoesNotGive() {
        // d = 2; user 0 holds out items 0 and 1: fused scores 2 and 4 (mean 3), behaviour scores 1 and 2 (mean 1.5)
        float[][] fused = {{1, 0}, {2, 0, 4, 0}};
        float[][] behaviour = {{1, 0}, {1, 0, 2, 0}};
        assertEquals(0.5, ViewFusion.semanticShare(fused, behaviour, new int[][]{{0, 1}}, 2), 1e-12);
        assertEquals(0.0, ViewFusion.semanticShare(behaviour, behaviour, new int[][]{{0, 1}}, 2), 1e-12);
        assertTrue(Double.isNaN(ViewFusion.semanticShare(fused, behaviour, new int[][]{null}, 2)), "no held-out pair");
    }

    @Test
    void withoutASemanticViewTheRepresentationsAreUsedAsTheyAre() {
        float[][] emb = {{1, 2}, {3, 4}, null, {9, 9}, {9, 9}};
        float[][] out = new ViewFusion(1, 1, 2, null).fuse(emb, 0);
        assertArrayEquals(new float[]{1, 2}, out[0]);
        assertArrayEquals(new float[]{3, 4}, out[1]);
    }
}
