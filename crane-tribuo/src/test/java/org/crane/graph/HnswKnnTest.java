package org.crane.graph;

import org.crane.eval.NeighbourRecall;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The approximate kNN graph against the exact one, its form, and the index choice. */
class HnswKnnTest {
    @Test
    void findsAlmostAllExactNeighboursInTheExactGraphsForm() {
        int n = 3000;
        int dim = 48;
        int k = 10;
        float[] x = TestFeatures.clustered(n, dim, 5);
        CooMatrix exact = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        CooMatrix approx = HnswKnn.build(x, n, dim, k, 100, 2);
        assertEquals(exact.nnz(), approx.nnz());
        for (int i = 0; i < n; i++) {
            assertEquals(i, approx.row()[i * k]);
            assertEquals(i, approx.col()[i * k], "each item is its own first neighbour");
            assertEquals(1f / k, approx.value()[i * k]);
        }
        double recall = NeighbourRecall.of(exact, approx);
        assertTrue(recall >= 0.95, "recall " + recall);
        // a narrow search finds fewer: the setting is live
        double narrow = NeighbourRecall.of(exact, HnswKnn.build(x, n, dim, k, 1, 2));
        assertTrue(narrow < recall, narrow + " vs " + recall);
    }

    @Test
    void theSameFeaturesGiveTheSameGraphWhateverTheSearchThreads() {
        int n = 1500;
        int dim = 16;
        float[] x = TestFeatures.clustered(n, dim, 9);
        CooMatrix a = HnswKnn.build(x, n, dim, 5, 40, 1);
        CooMatrix b = HnswKnn.build(x, n, dim, 5, 40, 3);
        assertArrayEquals(a.col(), b.col());
    }

    @Test
    void smallCataloguesAndZeroRowsStillGiveKNeighbours() {
        float[] x = new float[4 * 3];
        x[3] = 1;   // rows 0, 2, 3 are zero: cosine 0 with everything
        x[7] = 1;
        CooMatrix g = HnswKnn.build(x, 4, 3, 10, 10, 1);
        assertEquals(16, g.nnz(), "k is capped at the catalogue size, as in the exact graph");
        assertThrows(IllegalArgumentException.class, () -> HnswKnn.build(x, 5, 3, 10, 10, 1));
    }

    @Test
    void vectorAndScalarDotProductsAgree() {
        SplittableRandom r = new SplittableRandom(2);
        for (int dim : new int[]{1, 7, 8, 17, 64, 100, 4096}) {
            float[] x = new float[3 * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            double want = 0;
            for (int j = 0; j < dim; j++) {
                want += (double) x[dim + j] * x[2 * dim + j];
            }
            float tol = 1e-5f * dim;
            assertEquals(want, RowDots.SCALAR.dot(x, dim, 2 * dim, dim), tol, "scalar, dim " + dim);
            assertEquals(want, RowDots.fastest().dot(x, dim, 2 * dim, dim), tol, "fastest, dim " + dim);
        }
    }

    @Test
    void autoIsExactThenInt8ThenHnswAndSettingsAreChecked() {
        assertEquals(KnnIndex.EXACT, KnnIndex.resolve("auto", KnnIndex.INT8_FROM_ITEMS - 1, 10, 100));
        assertEquals(KnnIndex.int8(10), KnnIndex.resolve("auto", KnnIndex.INT8_FROM_ITEMS, 10, 100));
        assertEquals(KnnIndex.int8(10), KnnIndex.resolve("Auto", KnnIndex.AUTO_FROM_ITEMS - 1, 10, 100));
        assertEquals(15, KnnIndex.resolve("int8", 10, 10, 100).candidates());
        assertEquals(5, KnnIndex.int8(3).candidates());   // 1.5 k, rounded up
        assertEquals(KnnIndex.hnsw(100), KnnIndex.resolve("AUTO", KnnIndex.AUTO_FROM_ITEMS, 10, 100));
        assertTrue(KnnIndex.resolve("hnsw", 10, 10, 7).approximate());
        assertTrue(KnnIndex.resolve("int8", 10, 10, 7).approximate());
        assertEquals(7, KnnIndex.resolve("hnsw", 10, 10, 7).efSearch());
        assertEquals(KnnIndex.EXACT, KnnIndex.resolve("exact", 1 << 30, 10, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnnIndex.resolve("annoy", 10, 10, 100));
        assertTrue(e.getMessage().contains("knnIndex must be auto, exact, int8 or hnsw"), e.getMessage());
        assertTrue(KnnIndex.int8(10).key().contains("15") && !KnnIndex.int8(10).key().equals(KnnIndex.int8(5).key()));
    }

    @Test
    void recallCountsTheExactNeighboursFound() {
        CooMatrix exact = new CooMatrix(2, 3, new int[]{0, 0, 0, 1, 1, 1}, new int[]{0, 1, 2, 1, 0, 2}, new float[6]);
        CooMatrix approx = new CooMatrix(2, 3, new int[]{0, 0, 0, 1, 1, 1}, new int[]{0, 2, 1, 1, 2, 2}, new float[6]);
        assertEquals(0.75, NeighbourRecall.of(exact, approx), 1e-12);   // item 1 misses 0: 3 of 4
        assertEquals(1.0, NeighbourRecall.of(exact, exact), 1e-12);
    }
}
