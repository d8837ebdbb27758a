package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.crane.data.FeatureMatrix;
import org.crane.data.FeatureScaling;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnGraphBuilder;
import org.crane.graph.SimilarityScorer;
import org.crane.engine.Tensors;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The homogeneous item-item semantic graph {@code S = sum_m alpha_m S_m}: for each modality, the
 * cosine kNN graph of its raw features, computed block by block with the similarity products in
 * ONNX Runtime (7050 items x 4096 features is about 0.2 TFLOP over the upper triangle, far too slow in plain Java),
 * normalised, then weighted and summed. Graphs are cached in memory by content hash and k.
 */
public final class SemanticGraph {
    private static final Logger logger = Logger.getLogger(SemanticGraph.class.getName());
    private static final Map<String, CooMatrix> CACHE = new ConcurrentHashMap<>();

    private SemanticGraph() {
    }

    /**
     * @param engine the engine running the similarity products.
     * @param modalities the modalities (all with N rows).
     * @param hashes content hash of each modality (cache key).
     * @param weights alpha_m per modality.
     * @param k neighbours per item (self included).
     * @return S, N x N.
     */
    public static CooMatrix build(OrtEngine engine, List<FeatureMatrix> modalities, List<String> hashes, double[] weights, int k) {
        if (weights.length != modalities.size()) {
            throw new IllegalArgumentException(modalities.size() + " modalities but " + weights.length + " modality weights");
        }
        CooMatrix s = null;
        for (int m = 0; m < modalities.size(); m++) {
            FeatureMatrix f = modalities.get(m);
            CooMatrix sm = CACHE.computeIfAbsent(hashes.get(m) + "/" + k, key -> knn(engine, f.values(), f.rows(), f.cols(), k));
            CooMatrix weighted = sm.scale((float) weights[m]);
            s = s == null ? weighted : s.plus(weighted);
        }
        return s;
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
