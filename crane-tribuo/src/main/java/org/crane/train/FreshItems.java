package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.model.GraphInputs;

import java.nio.FloatBuffer;
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
    private final Scratch[] scratch;

    /**
     * @param features the (scaled) raw modality matrices, N rows each.
     * @param numItems N.
     */
    FreshItems(List<FeatureMatrix> features, int numItems) {
        this.features = features;
        this.numItems = numItems;
        this.scratch = new Scratch[features.size()];
        for (int m = 0; m < scratch.length; m++) {
            scratch[m] = new Scratch();
        }
    }

    /**
     * One modality's buffers, kept from step to step (a step's rows are tens of MB: allocating them
     * anew each step costs more than filling them): a heap array to transpose in, direct buffers the
     * tensors wrap. A step's tensors must be closed before the next step's are made.
     */
    private static final class Scratch {
        float[] transposed = new float[0];
        FloatBuffer rowStage = Tensors.staging(0);
        FloatBuffer transStage = Tensors.staging(0);

        Scratch fit(int size) {
            if (transposed.length < size) {
                int cap = Math.max(size, (int) Math.min(Integer.MAX_VALUE - 8, transposed.length * 3L / 2));
                transposed = new float[cap];
                rowStage = Tensors.staging(cap);
                transStage = Tensors.staging(cap);
            }
            rowStage.clear();
            transStage.clear();
            return this;
        }
    }

    private static OnnxTensor wrap(OrtEnvironment env, FloatBuffer filled, long rows, long cols) {
        filled.flip();
        try {
            return OnnxTensor.createTensor(env, filled, new long[]{rows, cols});
        } catch (ai.onnxruntime.OrtException e) {
            throw new org.crane.engine.EngineException("Cannot create the fresh items' features", e);
        }
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
            int size = Math.multiplyExact(f, dim);
            Scratch b = scratch[m].fit(size);
            float[] all = x.values();
            for (int item : fresh) {
                b.rowStage.put(all, item * dim, dim);
            }
            FeatureMatrix.transposeRows(all, dim, fresh, b.transposed);
            b.transStage.put(b.transposed, 0, size);
            out.put(GraphInputs.freshFeatures(m), wrap(env, b.rowStage, f, dim));
            out.put(GraphInputs.freshFeaturesTransposed(m), wrap(env, b.transStage, dim, f));
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
