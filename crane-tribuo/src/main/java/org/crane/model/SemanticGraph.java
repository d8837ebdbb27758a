package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.crane.data.FeatureMatrix;
import org.crane.data.FeatureScaling;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.HnswKnn;
import org.crane.graph.KnnGraphBuilder;
import org.crane.graph.KnnIndex;
import org.crane.graph.QuantizedKnn;
import org.crane.graph.ScaledCoo;
import org.crane.graph.SimilarityScorer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The homogeneous item-item semantic graph {@code S = sum_m alpha_m S_m}: for each modality, the
 * cosine kNN graph of its raw features, computed block by block with the similarity products in
 * ONNX Runtime (7050 items x 4096 features is about 0.2 TFLOP over the upper triangle, far too slow in plain Java),
 * normalised, then weighted and summed (the sum happens in the product, see below). Graphs are
 * kept for reuse by content hash and k (another seed or setting on the same features needs the same
 * graph), at most 256 MiB of them per process, least recently used first out; {@link #clearCache()}
 * drops them.
 * <p>
 * Each modality's graph is binary with every entry 1/k, so S is fed to the network as one
 * scaled-binary matrix of N rows and {@code blocks x N} columns, {@code [A_1 .. A_K] diag(w)} with
 * {@code w} = alpha_m / k on block m: {@code S X = [A_1 .. A_K] diag(w) [X; ..; X]}. The product then
 * needs no per-entry multiplication (an nnz x d product, measured ~11 ms of each direction of a
 * Baby training step), only the scaling of K small copies of X.
 */
public final class SemanticGraph {
    private static final Logger logger = Logger.getLogger(SemanticGraph.class.getName());
    /** The graphs kept for reuse across trainings in this process, least recently used first out. */
    private static final KnnCache CACHE = new KnnCache(256L << 20);

    private SemanticGraph() {
    }

    /** Drops every kNN graph kept for reuse. */
    public static void clearCache() {
        CACHE.clear();
    }

    /**
     * @param engine the engine running the similarity products.
     * @param modalities the modalities (all with N rows).
     * @param hashes content hash of each modality (cache key).
     * @param weights alpha_m per modality.
     * @param k neighbours per item (self included).
     * @return S as a stacked scaled-binary matrix, N x (K N) (see {@link #stack}).
     */
    public static ScaledCoo build(OrtEngine engine, List<FeatureMatrix> modalities, List<String> hashes, double[] weights, int k) {
        return build(engine, modalities, hashes, weights, k, KnnIndex.EXACT);
    }

    /**
     * @param engine the engine running the similarity products.
     * @param modalities the modalities (all with N rows).
     * @param hashes content hash of each modality (cache key).
     * @param weights alpha_m per modality.
     * @param k neighbours per item (self included).
     * @param index exact or approximate neighbours.
     * @return S as a stacked scaled-binary matrix, N x (K N) (see {@link #stack}).
     */
    public static ScaledCoo build(OrtEngine engine, List<FeatureMatrix> modalities, List<String> hashes, double[] weights, int k,
                                  KnnIndex index) {
        if (weights.length != modalities.size()) {
            throw new IllegalArgumentException(modalities.size() + " modalities but " + weights.length + " modality weights");
        }
        return stack(graphs(engine, modalities, hashes, k, index), weights, modalities.size());
    }

    /**
     * @param engine the engine.
     * @param modalities raw features.
     * @param hashes their content hashes (cache keys).
     * @param k neighbours per item.
     * @return each modality's normalised kNN graph, cached by content hash.
     */
    public static List<CooMatrix> graphs(OrtEngine engine, List<FeatureMatrix> modalities, List<String> hashes, int k) {
        return graphs(engine, modalities, hashes, k, KnnIndex.EXACT);
    }

    /**
     * @param engine the engine.
     * @param modalities raw features.
     * @param hashes their content hashes (cache keys).
     * @param k neighbours per item.
     * @param index exact or approximate neighbours.
     * @return each modality's normalised kNN graph, cached by content hash, k and index.
     */
    public static List<CooMatrix> graphs(OrtEngine engine, List<FeatureMatrix> modalities, List<String> hashes, int k, KnnIndex index) {
        List<CooMatrix> graphs = new ArrayList<>();
        for (int m = 0; m < modalities.size(); m++) {
            FeatureMatrix f = modalities.get(m);
            graphs.add(CACHE.get(hashes.get(m) + "/" + k + "/" + index.key(), () -> knn(engine, f.values(), f.rows(), f.cols(), k, index)));
        }
        return graphs;
    }

    /**
     * @param engine the engine (exact products).
     * @param x row-major features.
     * @param n rows.
     * @param dim columns.
     * @param k neighbours.
     * @param index exact products, 8-bit products with exact re-ranking, or the approximate search (on the engine's thread count).
     * @return the normalised kNN graph.
     */
    public static CooMatrix knn(OrtEngine engine, float[] x, int n, int dim, int k, KnnIndex index) {
        if (index.method() == KnnIndex.Method.EXACT) {
            return knn(engine, x, n, dim, k);
        }
        long t0 = System.nanoTime();
        CooMatrix g;
        if (index.method() == KnnIndex.Method.INT8) {
            try (IntegerProducts products = new IntegerProducts(engine, dim)) {
                g = QuantizedKnn.build(x, n, dim, k, index.candidates(), products, engine.config().resolvedThreads());
            }
        } else {
            g = HnswKnn.build(x, n, dim, k, index.efSearch(), engine.config().resolvedThreads());
        }
        logger.info(String.format("Item kNN graph: %d items x %d features, k=%d, %s, %.2f s", n, dim, k, index, (System.nanoTime() - t0) / 1e9));
        return g;
    }

    /**
     * Stacks square graphs whose entries within each graph are all equal ({@code c_m B_m} with B_m
     * binary, as every kNN graph here) side by side: {@code sum_m w_m c_m B_m X} is this matrix times
     * {@code blocks} copies of X stacked vertically. Blocks past the given graphs are empty.
     * @param graphs the graphs, N x N each.
     * @param weights w_m per graph.
     * @param blocks the number of column blocks (at least the number of graphs).
     * @return N x (blocks N).
     * @throws IllegalArgumentException if a graph's entries differ, or the shapes do not match.
     */
    public static ScaledCoo stack(List<CooMatrix> graphs, double[] weights, int blocks) {
        if (graphs.isEmpty() || weights.length != graphs.size() || blocks < graphs.size()) {
            throw new IllegalArgumentException(graphs.size() + " graphs, " + weights.length + " weights, " + blocks + " blocks");
        }
        int n = graphs.get(0).rows();
        int nnz = 0;
        for (CooMatrix g : graphs) {
            if (g.rows() != n || g.cols() != n) {
                throw new IllegalArgumentException("Graphs to stack must all be " + n + " x " + n + ", got " + g.rows() + " x " + g.cols());
            }
            nnz += g.nnz();
        }
        int[] row = new int[nnz];
        int[] col = new int[nnz];
        float[] right = new float[Math.multiplyExact(blocks, n)];
        int at = 0;
        for (int m = 0; m < graphs.size(); m++) {
            CooMatrix g = graphs.get(m);
            float c = g.nnz() == 0 ? 0f : g.value()[0];
            for (int e = 0; e < g.nnz(); e++) {
                if (g.value()[e] != c) {
                    throw new IllegalArgumentException("Graph " + m + " is not a constant times a binary graph: entry " + e
                            + " is " + g.value()[e] + ", entry 0 is " + c);
                }
                row[at] = g.row()[e];
                col[at] = m * n + g.col()[e];
                at++;
            }
            java.util.Arrays.fill(right, m * n, (m + 1) * n, (float) (weights[m] * c));
        }
        float[] left = new float[n];
        java.util.Arrays.fill(left, 1f);
        return new ScaledCoo(n, blocks * n, row, col, left, right);
    }

    /**
     * @param engine the engine.
     * @param x row-major features.
     * @param n rows.
     * @param dim columns.
     * @param k neighbours.
     * @return the normalised kNN graph.
     */
    public static CooMatrix knn(OrtEngine engine, float[] x, int n, int dim, int k) {
        long t0 = System.nanoTime();
        float[] inverseNorm = FeatureScaling.inverseRowNorms(x, n, dim);
        FloatBuffer rowStage = Tensors.staging(Math.min(n, KnnGraphBuilder.ROW_BLOCK) * dim);
        FloatBuffer colStage = Tensors.staging(Math.min(n, KnnGraphBuilder.COL_BLOCK) * dim);
        try (Session session = engine.open(ScoringGraphs.dotProducts(dim))) {
            SimilarityScorer scorer = new SimilarityScorer() {
                @Override
                public void similarities(int rowFrom, int rowTo, int colFrom, int colTo, float[] out) {
                    int width = colTo - colFrom;
                    try (OnnxTensor q = Tensors.rows(engine.env(), rowStage, x, rowFrom, rowTo, dim);
                         OnnxTensor t = Tensors.rows(engine.env(), colStage, x, colFrom, colTo, dim);
                         OrtSession.Result r = session.run(Map.of(ScoringGraphs.QUERY, q, ScoringGraphs.TABLE, t), Map.of())) {
                        ((OnnxTensor) r.get(0)).getFloatBuffer().get(out, 0, (rowTo - rowFrom) * width);
                    }
                    // cosine = dot * (1/|x_r|) * (1/|x_j|): the rows are never normalised into a copy
                    for (int i = rowFrom; i < rowTo; i++) {
                        int off = (i - rowFrom) * width - colFrom;
                        float ni = inverseNorm[i];
                        for (int j = colFrom; j < colTo; j++) {
                            out[off + j] *= ni * inverseNorm[j];
                        }
                    }
                }

                @Override
                public int numItems() {
                    return n;
                }
            };
            CooMatrix g = KnnGraphBuilder.build(scorer, k);
            logger.info(String.format("Item kNN graph: %d items x %d features, k=%d, %.2f s", n, dim, k, (System.nanoTime() - t0) / 1e9));
            return g;
        }
    }
}
