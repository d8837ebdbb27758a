package org.crane.model;

import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnIndex;
import org.crane.graph.QuantizedRows;
import org.crane.graph.TestFeatures;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ONNX Runtime's integer products of the 8-bit rows, and the 8-bit kNN graph it drives. */
class IntegerProductsTest {
    @Test
    void productsEqualTheIntegerSumsForEveryTileShape() {
        int n = 50;
        int dim = 37;
        QuantizedRows q = QuantizedRows.of(TestFeatures.gaussian(n, dim, 4), n, dim, 16);
        IntBuffer out = ByteBuffer.allocateDirect(4 * n * 16).order(ByteOrder.nativeOrder()).asIntBuffer();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(2));
             IntegerProducts products = new IntegerProducts(engine, dim)) {
            int[][] tiles = {{0, 50, 0}, {5, 23, 2}, {49, 50, 3}, {10, 11, 1}};
            for (int[] t : tiles) {
                int w = q.blockWidth(t[2]);
                products.products(q, t[0], t[1], t[2], out);
                ByteBuffer left = q.left(t[0], t[1]);
                ByteBuffer right = q.right(t[2]);
                for (int i = 0; i < t[1] - t[0]; i++) {
                    for (int j = 0; j < w; j++) {
                        int want = 0;
                        for (int c = 0; c < dim; c++) {
                            want += (left.get(i * dim + c) & 0xFF) * right.get(c * w + j);
                        }
                        assertEquals(want, out.get(i * w + j), "rows " + t[0] + ".." + t[1] + ", block " + t[2] + ", (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void theInt8GraphWithEveryCandidateIsTheExactGraph() {
        int n = 300;
        int dim = 40;
        float[] x = TestFeatures.gaussian(n, dim, 12);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(2))) {
            CooMatrix exact = SemanticGraph.knn(engine, x, n, dim, 10);
            CooMatrix all = SemanticGraph.knn(engine, x, n, dim, 10, new KnnIndex(KnnIndex.Method.INT8, 0, n - 1));
            assertArrayEquals(exact.col(), all.col());
            CooMatrix few = SemanticGraph.knn(engine, x, n, dim, 10, KnnIndex.int8(10));
            assertEquals(1.0, org.crane.eval.NeighbourRecall.of(exact, few), 0.02);
        }
    }
}
