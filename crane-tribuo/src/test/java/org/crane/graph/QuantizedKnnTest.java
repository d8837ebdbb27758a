package org.crane.graph;

import org.crane.eval.NeighbourRecall;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 8-bit rows, their products' cosine estimates, and the re-ranked graph against the exact one. */
class QuantizedKnnTest {
    /** The integer products in plain Java, straight from the two buffers (the library runs them in ONNX Runtime). */
    static final class JavaProducts implements QuantizedKnn.Products {
        int calls;

        @Override
        public void products(QuantizedRows rows, int rowFrom, int rowTo, int block, IntBuffer out) {
            calls++;
            int dim = rows.dim();
            int w = rows.blockWidth(block);
            ByteBuffer left = rows.left(rowFrom, rowTo);
            ByteBuffer right = rows.right(block);
            for (int i = 0; i < rowTo - rowFrom; i++) {
                for (int j = 0; j < w; j++) {
                    int s = 0;
                    for (int c = 0; c < dim; c++) {
                        s += (left.get(i * dim + c) & 0xFF) * right.get(c * w + j);
                    }
                    out.put(i * w + j, s);
                }
            }
        }

        @Override
        public void close() {
        }
    }

    private static IntBuffer ints(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(java.nio.ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static double cosine(float[] x, int dim, int a, int b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int c = 0; c < dim; c++) {
            ab += (double) x[a * dim + c] * x[b * dim + c];
            aa += (double) x[a * dim + c] * x[a * dim + c];
            bb += (double) x[b * dim + c] * x[b * dim + c];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void rowsAreQuantisedByTheirLargestValueAndTransposedBlockByBlock() {
        int n = 11;
        int dim = 5;
        float[] x = TestFeatures.gaussian(n, dim, 3);
        x[2 * dim + 3] = -40f;                 // row 2's largest magnitude, negative
        java.util.Arrays.fill(x, 7 * dim, 8 * dim, 0f);   // row 7 is all zeros
        QuantizedRows q = QuantizedRows.of(x, n, dim, 4);
        assertEquals(3, q.blocks());
        assertEquals(3, q.blockWidth(2));
        assertEquals(64 - 63, q.left(2, 3).get(3) & 0xFF);
        assertEquals(-127, q.right(0).get(3 * 4 + 2));   // block 0 is dim x 4: column c of item j at c * 4 + j
        for (int r = 0; r < n; r++) {
            ByteBuffer right = q.right(r / 4);
            int w = q.blockWidth(r / 4);
            for (int c = 0; c < dim; c++) {
                int a = q.left(r, r + 1).get(c) & 0xFF;
                int b = right.get(c * w + r % 4);
                assertTrue(a >= 1 && a <= 127 && b >= -127 && b <= 127, "row " + r);
            }
        }
        // a zero row is similar to nothing: its estimates are 0 up to rounding
        IntBuffer out = ints(n * 4);
        for (int block = 0; block < q.blocks(); block++) {
            new JavaProducts().products(q, 7, 8, block, out);
            for (int j = 0; j < q.blockWidth(block); j++) {
                assertEquals(0.0, q.estimate(out.get(j), 7, block * 4 + j), 0.05, "item " + (block * 4 + j));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> QuantizedRows.of(x, n, dim + 1, 4));
        assertTrue(!QuantizedRows.fits(10, 200_000));
    }

    @Test
    void productsMinusTheOffsetTimesTheScalesEstimateTheCosines() {
        int n = 40;
        int dim = 64;
        float[] x = TestFeatures.gaussian(n, dim, 9);
        QuantizedRows q = QuantizedRows.of(x, n, dim, 16);
        IntBuffer out = ints(n * 16);
        double worst = 0;
        for (int block = 0; block < q.blocks(); block++) {
            int w = q.blockWidth(block);
            new JavaProducts().products(q, 0, n, block, out);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < w; j++) {
                    int item = block * 16 + j;
                    double estimate = q.estimate(out.get(r * w + j), r, item);
                    worst = Math.max(worst, Math.abs(estimate - cosine(x, dim, r, item)));
                }
            }
        }
        // 63 and 127 levels per row: errors of a few thousandths, far below the spread of these cosines (~0.12)
        assertTrue(worst < 0.02, "largest error " + worst);
    }

    @Test
    void withEveryItemACandidateTheGraphIsTheExactOneForAnyTilesAndThreads() {
        int n = 101;
        int dim = 24;
        int k = 6;
        float[] x = TestFeatures.gaussian(n, dim, 11);
        CooMatrix exact = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        JavaProducts products = new JavaProducts();
        CooMatrix small = QuantizedKnn.build(x, n, dim, k, n - 1, products, 1, 7, 16);
        assertArrayEquals(exact.col(), small.col());
        assertArrayEquals(exact.row(), small.row());
        assertArrayEquals(exact.value(), small.value());
        // upper-triangle tiles only: 7 blocks of 16 columns, rows up to each block's end
        int tiles = 0;
        for (int c1 = 16; c1 < n + 16; c1 += 16) {
            tiles += (Math.min(n, c1) - 1 + 6) / 7;
        }
        assertEquals(tiles, products.calls);
        assertArrayEquals(exact.col(), QuantizedKnn.build(x, n, dim, k, n - 1, new JavaProducts(), 3, 64, 32).col());
    }

    @Test
    void aFewCandidatesFindTheExactNeighboursAndThreadsDoNotChangeTheGraph() {
        int n = 1500;
        int dim = 48;
        int k = 10;
        float[] x = TestFeatures.clustered(n, dim, 21);
        CooMatrix exact = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        CooMatrix one = QuantizedKnn.build(x, n, dim, k, 2 * k, new JavaProducts(), 1, 128, 256);
        CooMatrix three = QuantizedKnn.build(x, n, dim, k, 2 * k, new JavaProducts(), 3, 128, 256);
        assertArrayEquals(one.col(), three.col());
        double recall = NeighbourRecall.of(exact, one);
        assertTrue(recall > 0.99, "recall " + recall);
        for (int i = 0; i < n; i++) {
            assertEquals(i, one.col()[i * k], "each item is its own first neighbour");
        }
        // re-ranking is what makes it exact: k - 1 candidates (no choice left) find fewer of them
        double unranked = NeighbourRecall.of(exact, QuantizedKnn.build(x, n, dim, k, k - 1, new JavaProducts(), 1, 128, 256));
        assertTrue(unranked <= recall, unranked + " vs " + recall);
    }

    @Test
    void itemsSharingALargeCommonComponentKeepTheirNeighbours() {
        // as audio embeddings: cosines of about 0.97 between random items, neighbours told apart by small residuals
        int n = 1200;
        int dim = 64;
        int k = 10;
        float[] x = TestFeatures.clustered(n, dim, 33);
        SplittableRandom r = new SplittableRandom(34);
        float[] common = new float[dim];
        for (int c = 0; c < dim; c++) {
            common[c] = (float) r.nextGaussian();
        }
        common[5] = 20f;   // and one dimension far larger than the rest
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dim; c++) {
                x[i * dim + c] = 3f * common[c] + x[i * dim + c];
            }
        }
        // the cosine of two random items: about 0.97, as whisper's audio embeddings of lfm2k
        assertEquals(0.97, cosine(x, dim, 0, n / 2), 0.03);
        CooMatrix exact = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        double recall = NeighbourRecall.of(exact, QuantizedKnn.build(x, n, dim, k, 15, new JavaProducts(), 2, 128, 256));
        assertTrue(recall > 0.99, "recall " + recall);
    }

    @Test
    void theVectorScanFindsTheSameEstimatesAsThePlainOne() {
        SplittableRandom r = new SplittableRandom(8);
        float[] estimates = new float[203];
        float[] bar = new float[260];
        for (int trial = 0; trial < 200; trial++) {
            for (int j = 0; j < estimates.length; j++) {
                estimates[j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < bar.length; j++) {
                bar[j] = 1.5f + (float) r.nextGaussian();
            }
            float rowBar = trial % 7 == 0 ? Float.NEGATIVE_INFINITY : 2.5f;
            int from = r.nextInt(estimates.length);
            for (int j = from; j <= estimates.length; ) {
                int plain = BarScan.SCALAR.next(estimates, bar, 40, rowBar, j, estimates.length);
                assertEquals(plain, BarScan.fastest().next(estimates, bar, 40, rowBar, j, estimates.length), "trial " + trial);
                if (plain < estimates.length) {
                    assertTrue(estimates[plain] >= rowBar || estimates[plain] >= bar[40 + plain]);
                }
                for (int q = j; q < plain; q++) {
                    assertTrue(estimates[q] < rowBar && estimates[q] < bar[40 + q], "skipped " + q);
                }
                j = plain + 1;
            }
        }
    }

    @Test
    void closingTheRowsReturnsTheirNativeMemoryAtOnce() {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        assertTrue(DirectMemory.available(), "sun.misc.Unsafe.invokeCleaner on this JDK");
        int n = 1000;
        int dim = 1000;
        QuantizedRows q = QuantizedRows.of(TestFeatures.gaussian(n, dim, 2), n, dim, 256);
        long held = direct.getMemoryUsed();
        q.close();
        // two buffers of n x dim bytes each, returned without waiting for a collection
        assertTrue(held - direct.getMemoryUsed() >= 2L * n * dim, held + " -> " + direct.getMemoryUsed());
        DirectMemory.free(ByteBuffer.allocateDirect(16).slice());   // a slice is left to the collector, no failure
    }

    @Test
    void tinyCataloguesAndBadSettings() {
        float[] x = TestFeatures.gaussian(2, 3, 1);
        CooMatrix two = QuantizedKnn.build(x, 2, 3, 10, 20, new JavaProducts(), 1);
        assertArrayEquals(new int[]{0, 1, 1, 0}, two.col());
        CooMatrix one = QuantizedKnn.build(TestFeatures.gaussian(1, 3, 1), 1, 3, 10, 20, new JavaProducts(), 2);
        assertArrayEquals(new int[]{0}, one.col());
        assertThrows(IllegalArgumentException.class, () -> QuantizedKnn.build(x, 2, 3, 10, 8, new JavaProducts(), 1));
        assertThrows(IllegalArgumentException.class, () -> QuantizedKnn.build(x, 2, 3, 10, 20, new JavaProducts(), 0));
    }
}
