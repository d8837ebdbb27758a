package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.model.GraphInputs;

import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of a stale-semantic-view step that name its fresh items: the distinct positive and
 * negative items of the batch (the rows whose Z the step recomputes with gradients), the selection
 * matrix that puts them over the cache, and their raw features (and transposes) gathered from the
 * full tables.
 */
final class FreshItems {
    private final List<FeatureMatrix> features;
    private final int numItems;

    /**
     * @param features the (scaled) raw modality matrices, N rows each.
     * @param numItems N.
     */
    FreshItems(List<FeatureMatrix> features, int numItems) {
        this.features = features;
        this.numItems = numItems;
    }

    /**
     * @param batch the step's inputs ({@link GraphInputs#POS} and {@link GraphInputs#NEG} are read).
     * @return the distinct items of both, ascending.
     */
    static int[] of(Map<String, OnnxTensor> batch) {
        long[] pos = longs(batch.get(GraphInputs.POS));
        long[] neg = longs(batch.get(GraphInputs.NEG));
        return java.util.stream.LongStream.concat(Arrays.stream(pos), Arrays.stream(neg)).distinct().sorted()
                .mapToInt(Math::toIntExact).toArray();
    }

    /**
     * @param env the environment.
     * @param fresh distinct item indices.
     * @return the inputs naming them: indices, selection matrix, raw features and their transposes.
     */
    Map<String, OnnxTensor> inputs(OrtEnvironment env, int[] fresh) {
        int f = fresh.length;
        Map<String, OnnxTensor> out = new HashMap<>();
        out.put(GraphInputs.FRESH_ITEMS, Tensors.longs(env, fresh, f));
        int[] cols = new int[f];
        float[] ones = new float[f];
        for (int q = 0; q < f; q++) {
            cols[q] = q;
            ones[q] = 1f;
        }
        out.putAll(Tensors.coo(env, GraphInputs.FRESH_SELECT, new CooMatrix(numItems, f, fresh.clone(), cols, ones)));
        for (int m = 0; m < features.size(); m++) {
            FeatureMatrix x = features.get(m);
            int dim = x.cols();
            float[] rows = new float[Math.multiplyExact(f, dim)];
            float[] transposed = new float[rows.length];
            float[] all = x.values();
            for (int q = 0; q < f; q++) {
                System.arraycopy(all, fresh[q] * dim, rows, q * dim, dim);
                for (int c = 0; c < dim; c++) {
                    transposed[c * f + q] = all[fresh[q] * dim + c];
                }
            }
            out.put(GraphInputs.freshFeatures(m), Tensors.floats(env, rows, f, dim));
            out.put(GraphInputs.freshFeaturesTransposed(m), Tensors.floats(env, transposed, dim, f));
        }
        return out;
    }

    private static long[] longs(OnnxTensor t) {
        LongBuffer b = t.getLongBuffer().duplicate();
        b.rewind();
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }
}
