package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.Tensors;

import java.util.Map;
import java.util.Random;

/** Graph inputs the network tests share. */
final class TestFeeds {
    private TestFeeds() {
    }

    /**
     * Puts every parameter of a network, at the given values, into a feed.
     * @param env the environment.
     * @param feed the feed to fill.
     * @param net the network (parameter names and shapes).
     * @param values each parameter's values.
     */
    static void parameters(OrtEnvironment env, Map<String, OnnxTensor> feed, CraneNetwork net, Map<String, float[]> values) {
        for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
            feed.put(e.getKey(), Tensors.floats(env, values.get(e.getKey()), e.getValue()));
        }
    }

    /**
     * Puts Gaussian raw features of each modality, and their transposes, into a feed.
     * @param env the environment.
     * @param feed the feed to fill.
     * @param rnd the random stream.
     * @param n items.
     * @param dims D_m per modality.
     */
    static void randomFeatures(OrtEnvironment env, Map<String, OnnxTensor> feed, Random rnd, int n, int[] dims) {
        for (int k = 0; k < dims.length; k++) {
            float[] x = new float[n * dims[k]];
            for (int q = 0; q < x.length; q++) {
                x[q] = (float) rnd.nextGaussian();
            }
            FeatureMatrix f = new FeatureMatrix("m" + k, n, dims[k], x);
            feed.put(GraphInputs.features(k), Tensors.floats(env, x, n, dims[k]));
            feed.put(GraphInputs.featuresTransposed(k), Tensors.floats(env, f.transposedValues(), dims[k], n));
        }
    }
}
