package org.crane.graph;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * The item kNN graph by 8-bit similarity products and exact re-ranking: every pair's cosine is
 * estimated from the rows quantised by {@link QuantizedRows} (one integer product per tile, which
 * x86 CPUs with VNNI run at about twice the rate of float products), each item keeps its
 * {@code candidates} best estimates, and the exact cosines of those candidates, from the float rows,
 * choose the k - 1 neighbours beside the item itself. This is exhaustive search with a compressed
 * first pass and a refinement, as FAISS's scalar quantiser with re-ranking (Johnson et al., arXiv
 * 1702.08734); an exact neighbour is lost only if more than {@code candidates} others overtake it by
 * the quantisation error. The result has the form {@link KnnGraphBuilder} gives.
 * <p>
 * As in the exact graph only the tiles on and above the diagonal are computed (each estimate is
 * offered to both items; letting a worker offer while the next tile's products ran, or two workers
 * offer one side each, was measured no faster: the products keep both cores busy). The integer products are exact and each item keeps the best candidates whatever the order of offers,
 * so the graph does not depend on the thread count.
 */
public final class QuantizedKnn {
    private static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger(QuantizedKnn.class.getName());
    /** Rows of the left operand per tile. */
    public static final int ROW_BLOCK = 512;
    /** Items per transposed block of the right operand (columns per tile). */
    public static final int COL_BLOCK = 4096;

    /** Integer products of quantised rows, tile by tile (ONNX Runtime's MatMulInteger in the library). */
    public interface Products extends AutoCloseable {
        /**
         * @param rows the quantised rows.
         * @param rowFrom first left row.
         * @param rowTo end left row (exclusive).
         * @param block the right operand's block.
         * @param out receives the {@code (rowTo - rowFrom) x blockWidth(block)} products {@code a_r . b_j}, row-major,
         *            from index 0 (a direct, native-order buffer).
         */
        void products(QuantizedRows rows, int rowFrom, int rowTo, int block, IntBuffer out);

        @Override
        void close();
    }

    private QuantizedKnn() {
    }

    /**
     * @param x row-major float features, n x dim (the re-ranking reads them).
     * @param n items.
     * @param dim feature width.
     * @param k neighbours per item (self included), at least 1.
     * @param candidates estimates kept per item for re-ranking, at least k - 1.
     * @param products the integer products.
     * @param threads worker threads (quantisation, candidate offers, re-ranking).
     * @return the normalised N x N graph with N * min(k, N) entries.
     */
    public static CooMatrix build(float[] x, int n, int dim, int k, int candidates, Products products, int threads) {
        return build(x, n, dim, k, candidates, products, threads, ROW_BLOCK, COL_BLOCK);
    }

    /**
     * As {@link #build(float[], int, int, int, int, Products, int)} with the tile sizes given.
     * @param x row-major float features.
     * @param n items.
     * @param dim feature width.
     * @param k neighbours per item.
     * @param candidates estimates kept per item.
     * @param integerProducts the integer products.
     * @param threads worker threads.
     * @param rowBlock left rows per tile.
     * @param colBlock items per right block.
     * @return the normalised graph.
     */
    public static CooMatrix build(float[] x, int n, int dim, int k, int candidates, Products integerProducts, int threads,
                                  int rowBlock, int colBlock) {
        if (k < 1 || threads < 1 || rowBlock < 1 || candidates < k - 1) {
            throw new IllegalArgumentException("k " + k + ", candidates " + candidates + " (at least k - 1), threads " + threads
                    + " and row block " + rowBlock + " must be >= 1");
        }
        int kk = Math.min(k, n);
        int[] cols = new int[n * kk];
        if (kk == 1) {
            for (int i = 0; i < n; i++) {
                cols[i] = i;
            }
            return KnnGraphBuilder.normalised(n, kk, cols);
        }
        try (Parallel workers = new Parallel(threads, "crane-knn")) {
            long started = System.nanoTime();
            float[] inverseNorm = RowDots.inverseNorms(x, n, dim, workers);
            NeighbourHeaps heaps = new NeighbourHeaps(n, Math.min(candidates, n - 1));
            int tileSize = Math.min(rowBlock, n) * Math.min(colBlock, n);
            long quantised;
            // the integer products done, their native memory is returned at once, not at some later collection
            ByteBuffer tileBytes = ByteBuffer.allocateDirect(4 * tileSize);
            try (QuantizedRows q = QuantizedRows.of(x, n, dim, colBlock, inverseNorm, workers)) {
                quantised = System.nanoTime();
                IntBuffer tile = tileBytes.order(java.nio.ByteOrder.nativeOrder()).asIntBuffer();
                int[] products = new int[tileSize];
                float[] estimates = new float[Math.min(colBlock, n)];
                for (int block = 0; block < q.blocks(); block++) {
                    int c0 = block * colBlock;
                    int c1 = c0 + q.blockWidth(block);
                    for (int r0 = 0; r0 < c1 - 1; r0 += rowBlock) {
                        int r1 = Math.min(n, r0 + rowBlock);
                        integerProducts.products(q, r0, r1, block, tile);
                        offer(heaps, q, tile, products, estimates, r0, r1, c0, c1);
                    }
                }
            } finally {
                DirectMemory.free(tileBytes);
            }
            long offered = System.nanoTime();
            rerank(x, dim, kk, inverseNorm, heaps, cols, workers);
            long reranked = System.nanoTime();
            LOGGER.fine(() -> String.format(java.util.Locale.ROOT, "8-bit kNN graph of %d x %d: quantised in %.2f s, products and offers "
                    + "%.2f s, re-ranked in %.2f s", n, dim, (quantised - started) / 1e9, (offered - quantised) / 1e9, (reranked - offered) / 1e9));
        }
        return KnnGraphBuilder.normalised(n, kk, cols);
    }

    /**
     * Offers the estimates above the diagonal of a tile to both items of each pair. Each row's
     * estimates are formed in one simple loop (which the JIT vectorises), then {@link BarScan} finds
     * those at or above the row item's or the column item's bar; only they reach the heaps, which test
     * again (one loop that offered as it went cost about twice as much per pair).
     */
    private static void offer(NeighbourHeaps heaps, QuantizedRows q, IntBuffer tile, int[] products, float[] estimates,
                              int r0, int r1, int c0, int c1) {
        int width = c1 - c0;
        tile.get(0, products, 0, (r1 - r0) * width);
        float[] leftScale = q.leftScale();
        float[] rightScale = q.rightScale();
        int[] offset = q.rightOffset();
        float[] bias = q.bias();
        float[] bar = heaps.bars();
        BarScan scan = BarScan.fastest();
        for (int r = r0; r < r1; r++) {
            int at = (r - r0) * width;
            float ls = leftScale[r];
            float rowBias = bias[r];
            // QuantizedRows.estimate, in the same order of operations
            for (int j = 0; j < width; j++) {
                estimates[j] = (rowBias + bias[c0 + j]) + (float) (products[at + j] - offset[c0 + j]) * ls * rightScale[c0 + j];
            }
            float rowBar = bar[r];
            for (int j = scan.next(estimates, bar, c0, rowBar, Math.max(0, r + 1 - c0), width); j < width;
                 j = scan.next(estimates, bar, c0, rowBar, j + 1, width)) {
                float s = estimates[j];
                heaps.offer(r, c0 + j, s);
                heaps.offer(c0 + j, r, s);
                rowBar = bar[r];
            }
        }
    }

    /** Item i first, then the k - 1 of its candidates with the highest exact cosine (ties: lower index). */
    private static void rerank(float[] x, int dim, int kk, float[] inverseNorm, NeighbourHeaps heaps, int[] cols, Parallel workers) {
        int n = cols.length / kk;
        RowDots dots = RowDots.fastest();
        int threads = workers.threads();
        workers.run(t -> {
            int[] item = new int[heaps.capacity()];
            int[] best = new int[kk - 1];
            float[] bestScore = new float[kk - 1];
            for (int i = t; i < n; i += threads) {
                int size = heaps.items(i, item);
                int m = 0;
                for (int p = 0; p < size; p++) {
                    int j = item[p];
                    m = TopK.push(best, bestScore, 0, m, kk - 1, j, dots.dot(x, i * dim, j * dim, dim) * inverseNorm[i] * inverseNorm[j]);
                }
                if (m < kk - 1) {
                    throw new IllegalStateException("item " + i + " has " + m + " of " + (kk - 1) + " candidate neighbours");
                }
                TopK.sortHeap(best, bestScore, 0, m);
                cols[i * kk] = i;
                System.arraycopy(best, 0, cols, i * kk + 1, m);
            }
        });
    }
}
