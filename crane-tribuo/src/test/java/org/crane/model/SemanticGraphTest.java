package org.crane.model;

import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnGraphBuilder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SemanticGraphTest {
    /**
     * The ONNX Runtime path (tiles of 1024 x 8192 over raw rows, cosine applied afterwards) against
     * the plain-Java scorer: same neighbour sets for every item. 2,500 items make the sweep cross
     * row-block boundaries; clustered data keeps near-ties out so float rounding cannot reorder them.
     */
    @Test
    void ortKnnEqualsThePlainJavaScorer() {
        SplittableRandom rnd = new SplittableRandom(17);
        int n = 2500;
        int dim = 48;
        float[] x = new float[n * dim];
        float[][] centres = new float[40][dim];
        for (float[] c : centres) {
            for (int q = 0; q < dim; q++) {
                c[q] = (float) rnd.nextGaussian();
            }
        }
        for (int r = 0; r < n; r++) {
            float[] c = centres[rnd.nextInt(centres.length)];
            float scale = 0.5f + 3 * (float) rnd.nextDouble(); // cosine must ignore the norm
            for (int q = 0; q < dim; q++) {
                x[r * dim + q] = scale * (c[q] + 0.6f * (float) rnd.nextGaussian());
            }
        }
        int k = 8;
        CooMatrix want = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        CooMatrix got;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT)) {
            got = SemanticGraph.knn(engine, x, n, dim, k);
        }
        assertEquals(n * k, got.nnz());
        assertArrayEquals(want.row(), got.row());
        int differentOrder = 0;
        for (int r = 0; r < n; r++) {
            int[] w = Arrays.copyOfRange(want.col(), r * k, (r + 1) * k);
            int[] g = Arrays.copyOfRange(got.col(), r * k, (r + 1) * k);
            assertEquals(r, g[0], "item " + r + " is its own first neighbour");
            differentOrder += Arrays.equals(w, g) ? 0 : 1;
            Arrays.sort(w);
            Arrays.sort(g);
            assertArrayEquals(w, g, "neighbours of item " + r);
        }
        assertEquals(0, differentOrder, "items whose neighbours come in another order");
        assertArrayEquals(want.value(), got.value());
    }
}
