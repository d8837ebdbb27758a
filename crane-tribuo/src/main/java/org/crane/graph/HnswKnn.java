package org.crane.graph;

import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The item kNN graph by approximate search: a hierarchical navigable small-world graph (HNSW, Malkov
 * and Yashunin, arXiv 1603.09320) built by Apache Lucene's implementation over the rows' cosine
 * similarity, then one search per item. The result has the form {@link KnnGraphBuilder} gives: each
 * item first, then its k - 1 nearest others best first, every entry 1/k.
 *
 * <p>The graph is built on one thread with a fixed seed, so the same features give the same graph (a
 * run stays reproducible); the searches, independent of one another, run on {@code threads} threads.
 * Similarities are computed by {@link RowDots} on the caller's array (no normalised copy is made).
 */
public final class HnswKnn {
    /** Lucene's default number of links per node (M). */
    public static final int MAX_CONN = 16;
    /** Candidates kept while inserting a node (efConstruction). */
    public static final int BEAM_WIDTH = 100;
    private static final long SEED = 42L;

    private HnswKnn() {
    }

    /**
     * @param x row-major features, n x dim.
     * @param n items.
     * @param dim feature width.
     * @param k neighbours per item (self included), at least 1.
     * @param efSearch candidates kept per search (at least k; more gives higher recall, slower).
     * @param threads search threads.
     * @return the normalised N x N graph with N * min(k, N) entries.
     */
    public static CooMatrix build(float[] x, int n, int dim, int k, int efSearch, int threads) {
        if (k < 1 || efSearch < 1 || threads < 1) {
            throw new IllegalArgumentException("k, efSearch and threads must be >= 1, got " + k + ", " + efSearch + ", " + threads);
        }
        if ((long) n * dim != x.length) {
            throw new IllegalArgumentException(n + " x " + dim + " features, but " + x.length + " values");
        }
        int kk = Math.min(k, n);
        int[] cols = new int[n * kk];
        int ef = Math.max(efSearch, kk);
        try (Parallel workers = new Parallel(threads, "crane-hnsw")) {
            Cosine sup = new Cosine(x, n, dim, RowDots.fastest(), RowDots.inverseNorms(x, n, dim, workers));
            OnHeapHnswGraph graph;
            try {
                graph = HnswGraphBuilder.create(sup, MAX_CONN, BEAM_WIDTH, SEED).build(n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            workers.run(t -> {
                for (int i = t; i < n; i += threads) {
                    try {
                        neighbours(sup, graph, i, kk, ef, cols);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return KnnGraphBuilder.normalised(n, kk, cols);
    }

    /** Item i first, then the best others the search found (fewer than k - 1 of them is an error, as the exact graph always has k). */
    private static void neighbours(Cosine sup, OnHeapHnswGraph graph, int i, int kk, int ef, int[] cols) throws IOException {
        TopDocs top = HnswGraphSearcher.search(sup.scorer(i), ef, graph, null, Integer.MAX_VALUE).topDocs();
        int at = i * kk;
        cols[at++] = i;
        int end = (i + 1) * kk;
        for (int r = 0; r < top.scoreDocs.length && at < end; r++) {
            if (top.scoreDocs[r].doc != i) {
                cols[at++] = top.scoreDocs[r].doc;
            }
        }
        if (at < end) {
            throw new IllegalStateException("the approximate search found " + (at - i * kk) + " of " + kk + " neighbours for item " + i);
        }
    }

    /** Cosine similarity mapped to [0, 1] (Lucene ranks by non-negative scores), computed on the caller's rows. */
    private static final class Cosine implements RandomVectorScorerSupplier {
        private final float[] x;
        private final int n;
        private final int dim;
        private final RowDots dots;
        private final float[] inverseNorm;

        Cosine(float[] x, int n, int dim, RowDots dots, float[] inverseNorm) {
            this.x = x;
            this.n = n;
            this.dim = dim;
            this.dots = dots;
            this.inverseNorm = inverseNorm;
        }

        @Override
        public RandomVectorScorer scorer(int q) {
            int qo = q * dim;
            float qn = inverseNorm[q];
            return new RandomVectorScorer() {
                @Override
                public float score(int node) {
                    return (1f + dots.dot(x, qo, node * dim, dim) * qn * inverseNorm[node]) * 0.5f;
                }

                @Override
                public int maxOrd() {
                    return n;
                }
            };
        }

        @Override
        public RandomVectorScorerSupplier copy() {
            return this;   // stateless: the scorers share the read-only rows
        }
    }
}
