package org.crane.graph;

import java.nio.IntBuffer;
import java.util.concurrent.Future;

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
 * offered to both items). The products of one tile run (on the engine's threads) while a worker offers
 * the previous tile's estimates, in two threads where its rows and columns are different items. The
 * integer products are exact and each item keeps the best candidates whatever the order of offers,
 * so the graph does not depend on the thread count.
 */
public final class QuantizedKnn {
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
     * @param threads re-ranking threads.
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
     * @param products the integer products.
     * @param threads re-ranking threads.
     * @param rowBlock left rows per tile.
     * @param colBlock items per right block.
     * @return the normalised graph.
     */
    public static CooMatrix build(float[] x, int n, int dim, int k, int candidates, Products products, int threads,
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
            QuantizedRows q = QuantizedRows.of(x, n, dim, colBlock, workers);
            NeighbourHeaps heaps = new NeighbourHeaps(n, Math.min(candidates, n - 1));
            int tileSize = Math.min(rowBlock, n) * Math.min(colBlock, n);
            // two output buffers: the products of the next tile run while one thread offers this one's
            IntBuffer[] out = {direct(tileSize), direct(tileSize)};
            Future<?> offering = null;
            int slot = 0;
            for (int block = 0; block < q.blocks(); block++) {
                int c0 = block * colBlock;
                int c1 = c0 + q.blockWidth(block);
                for (int r0 = 0; r0 < c1 - 1; r0 += rowBlock) {
                    int r1 = Math.min(n, r0 + rowBlock);
                    int from = r0;
                    IntBuffer buffer = out[slot];
                    slot ^= 1;
                    products.products(q, r0, r1, block, buffer);
                    Parallel.await(offering);
                    offering = workers.start(() -> {
                        if (r1 <= c0 && workers.threads() > 1) {
                            // rows and columns are different items here: two threads, one per side, share no heap
                            Future<?> columns = workers.start(() -> offer(heaps, q, buffer, from, r1, c0, c1, false, true));
                            offer(heaps, q, buffer, from, r1, c0, c1, true, false);
                            Parallel.await(columns);
                        } else {
                            offer(heaps, q, buffer, from, r1, c0, c1, true, true);
                        }
                    });
                }
            }
            Parallel.await(offering);
            rerank(x, dim, kk, heaps, cols, workers);
        }
        return KnnGraphBuilder.normalised(n, kk, cols);
    }

    /**
     * Offers the estimates above the diagonal of a tile to the row item's heap, the column item's heap
     * or both. The bar tests spare the calls the heaps would refuse (they test again).
     */
    private static void offer(NeighbourHeaps heaps, QuantizedRows q, IntBuffer tile, int r0, int r1, int c0, int c1,
                              boolean toRows, boolean toColumns) {
        int width = c1 - c0;
        float[] leftScale = q.leftScale();
        float[] rightScale = q.rightScale();
        int[] offset = q.rightOffset();
        float[] bar = heaps.bars();
        for (int r = r0; r < r1; r++) {
            int at = (r - r0) * width - c0;
            float ls = leftScale[r];
            float rowBar = bar[r];
            for (int j = Math.max(c0, r + 1); j < c1; j++) {
                float s = (float) (tile.get(at + j) - offset[j]) * ls * rightScale[j];
                if (toRows && s >= rowBar) {
                    heaps.offer(r, j, s);
                    rowBar = bar[r];
                }
                if (toColumns && s >= bar[j]) {
                    heaps.offer(j, r, s);
                }
            }
        }
    }

    private static IntBuffer direct(int ints) {
        return java.nio.ByteBuffer.allocateDirect(4 * ints).order(java.nio.ByteOrder.nativeOrder()).asIntBuffer();
    }

    /** Item i first, then the k - 1 of its candidates with the highest exact cosine (ties: lower index). */
    private static void rerank(float[] x, int dim, int kk, NeighbourHeaps heaps, int[] cols, Parallel workers) {
        int n = cols.length / kk;
        RowDots dots = RowDots.fastest();
        float[] inverseNorm = new float[n];
        for (int i = 0; i < n; i++) {
            float s = dots.dot(x, i * dim, i * dim, dim);
            inverseNorm[i] = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
        }
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
                    float s = dots.dot(x, i * dim, j * dim, dim) * inverseNorm[i] * inverseNorm[j];
                    if (m < kk - 1) {
                        best[m] = j;
                        bestScore[m] = s;
                        TopK.siftUp(best, bestScore, 0, m++);
                    } else if (TopK.better(s, j, bestScore[0], best[0])) {
                        best[0] = j;
                        bestScore[0] = s;
                        TopK.siftDown(best, bestScore, 0, 0, m);
                    }
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
