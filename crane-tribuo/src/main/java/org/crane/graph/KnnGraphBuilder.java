package org.crane.graph;

import org.crane.data.FeatureMatrix;
import org.crane.data.FeatureScaling;

/**
 * Builds the homogeneous item-item semantic graph of one modality: each item's k most
 * cosine-similar items (itself included), as a binary graph normalised by its row degrees
 * {@code D^-1/2 A D^-1/2} (every row has degree k, so every entry is 1/k; MMRec's convention).
 * <p>
 * Similarity is symmetric, so only the tiles on and above the diagonal are computed (half the
 * products of a full sweep); each similarity is offered to both items' bounded heaps. Tiles are
 * {@code rowBlock x colBlock}, so memory stays bounded by one tile whatever the number of items and
 * no N x N matrix is ever held.
 */
public final class KnnGraphBuilder {
    /** Rows per tile. */
    public static final int ROW_BLOCK = 1024;
    /** Columns per tile. */
    public static final int COL_BLOCK = 8192;

    private KnnGraphBuilder() {
    }

    /**
     * @param scorer cosine similarities.
     * @param k neighbours per item (self included), at least 1.
     * @return the normalised N x N graph with N * min(k, N) entries.
     */
    public static CooMatrix build(SimilarityScorer scorer, int k) {
        return build(scorer, k, ROW_BLOCK, COL_BLOCK);
    }

    /**
     * @param scorer cosine similarities.
     * @param k neighbours per item (self included), at least 1.
     * @param rowBlock rows per tile.
     * @param colBlock columns per tile.
     * @return the normalised N x N graph with N * min(k, N) entries.
     */
    public static CooMatrix build(SimilarityScorer scorer, int k, int rowBlock, int colBlock) {
        int n = scorer.numItems();
        if (k < 1) {
            throw new IllegalArgumentException("knnK must be >= 1, got " + k);
        }
        if (rowBlock < 1 || colBlock < 1) {
            throw new IllegalArgumentException("tile sizes must be positive, got " + rowBlock + " x " + colBlock);
        }
        int kk = Math.min(k, n);
        NeighbourHeaps heaps = new NeighbourHeaps(n, kk);
        float[] tile = new float[Math.min(rowBlock, n) * Math.min(colBlock, n)];
        for (int r0 = 0; r0 < n; r0 += rowBlock) {
            int r1 = Math.min(n, r0 + rowBlock);
            for (int c0 = r0; c0 < n; c0 += colBlock) {
                int c1 = Math.min(n, c0 + colBlock);
                scorer.similarities(r0, r1, c0, c1, tile);
                offerTile(heaps, tile, r0, r1, c0, c1);
            }
        }
        int[] cols = new int[n * kk];
        heaps.sortedInto(cols);
        return normalised(n, kk, cols);
    }

    /**
     * @param n items.
     * @param kk neighbours per item.
     * @param cols item r's neighbours at {@code cols[r * kk ..]}.
     * @return the N x N kNN graph with every entry 1/kk.
     */
    static CooMatrix normalised(int n, int kk, int[] cols) {
        int[] rows = new int[n * kk];
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(rows, r * kk, (r + 1) * kk, r);
        }
        float[] vals = new float[n * kk];
        java.util.Arrays.fill(vals, 1f / kk);
        return new CooMatrix(n, n, rows, cols, vals);
    }

    /**
     * Offers one tile's similarities to both items of each pair. Pairs below the diagonal are
     * skipped (the tile sweep starts at the diagonal, so they are seen once as (j, r)); an item
     * is its own first neighbour whatever rounding says.
     */
    private static void offerTile(NeighbourHeaps heaps, float[] tile, int r0, int r1, int c0, int c1) {
        int width = c1 - c0;
        for (int r = r0; r < r1; r++) {
            int off = (r - r0) * width - c0;
            int from = Math.max(c0, r);
            if (from >= c1) {
                continue;
            }
            if (from == r) {
                heaps.offer(r, r, Float.POSITIVE_INFINITY);
                from++;
            }
            for (int j = from; j < c1; j++) {
                float s = tile[off + j];
                heaps.offer(r, j, s);
                heaps.offer(j, r, s);
            }
        }
    }

    /**
     * A plain-Java cosine scorer over a row-major matrix (fine for small or low-dimensional data).
     * @param x items x dim features.
     * @param dim feature dimension.
     * @return the scorer.
     */
    public static SimilarityScorer javaCosine(float[] x, int dim) {
        int n = x.length / dim;
        float[] xn = FeatureScaling.L2_ROWS.apply(new FeatureMatrix("cosine", n, dim, x)).values();
        return new SimilarityScorer() {
            @Override
            public void similarities(int rowFrom, int rowTo, int colFrom, int colTo, float[] out) {
                int width = colTo - colFrom;
                for (int r = rowFrom; r < rowTo; r++) {
                    for (int j = colFrom; j < colTo; j++) {
                        float s = 0;
                        for (int c = 0; c < dim; c++) {
                            s += xn[r * dim + c] * xn[j * dim + c];
                        }
                        out[(r - rowFrom) * width + (j - colFrom)] = s;
                    }
                }
            }

            @Override
            public int numItems() {
                return n;
            }
        };
    }
}
