package org.crane.graph;

import org.crane.data.FeatureMatrix;
import org.crane.data.FeatureScaling;

import java.util.logging.Logger;

/**
 * Builds the homogeneous item-item semantic graph of one modality: each item's k most
 * cosine-similar items (itself included), computed block by block so that no N x N matrix is
 * ever held, as a binary graph normalised by its row degrees {@code D^-1/2 A D^-1/2} (every row
 * has degree k, so every entry is 1/k; MMRec's convention).
 */
public final class KnnGraphBuilder {
    private static final Logger logger = Logger.getLogger(KnnGraphBuilder.class.getName());

    /** Items per block. */
    public static final int BLOCK = 512;

    private KnnGraphBuilder() {
    }

    /**
     * @param scorer cosine similarities.
     * @param k neighbours per item (self included), at least 1.
     * @return the normalised N x N graph with N * min(k, N) entries.
     */
    public static CooMatrix build(SimilarityScorer scorer, int k) {
        int n = scorer.numItems();
        if (k < 1) {
            throw new IllegalArgumentException("knnK must be >= 1, got " + k);
        }
        int kk = Math.min(k, n);
        int[] rows = new int[n * kk];
        int[] cols = new int[n * kk];
        float[] sims = new float[BLOCK * n];
        int[] top = new int[kk];
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            scorer.similarities(from, to, sims);
            for (int r = from; r < to; r++) {
                int off = (r - from) * n;
                sims[off + r] = Float.POSITIVE_INFINITY; // self first, whatever rounding says
                int got = TopK.select(sims, off, n, new int[0], kk, top, null);
                for (int j = 0; j < got; j++) {
                    rows[r * kk + j] = r;
                    cols[r * kk + j] = top[j];
                }
            }
        }
        float[] vals = new float[n * kk];
        java.util.Arrays.fill(vals, 1f / kk);
        logger.fine(() -> String.format("kNN graph over %d items (k=%d) in %.2f s", n, kk, (System.nanoTime() - t0) / 1e9));
        return new CooMatrix(n, n, rows, cols, vals);
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
            public void similarities(int from, int to, float[] out) {
                for (int r = from; r < to; r++) {
                    for (int j = 0; j < n; j++) {
                        float s = 0;
                        for (int c = 0; c < dim; c++) {
                            s += xn[r * dim + c] * xn[j * dim + c];
                        }
                        out[(r - from) * n + j] = s;
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
