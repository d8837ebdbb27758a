package org.crane.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Initial parameter values: Xavier-uniform matrices and zero vectors, drawn in the parameters' order from one stream. */
public final class ParameterInit {
    private ParameterInit() {
    }

    /**
     * Xavier-uniform matrices (bound sqrt(6 / (fan_in + fan_out))), zero biases (rank-1 parameters);
     * the matrices named in {@code zero} start at zero (W_Z, for a semantic view that starts silent
     * and grows from the behaviour view's gradient).
     * @param shapes parameter name to shape, in creation order.
     * @param rng the random stream.
     * @param zero matrices that start at zero.
     * @return parameter name to initial values.
     */
    public static Map<String, float[]> xavier(Map<String, long[]> shapes, SplittableRandom rng, Set<String> zero) {
        Map<String, float[]> init = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] s = e.getValue();
            int n = 1;
            for (long x : s) {
                n = Math.multiplyExact(n, (int) x);
            }
            float[] v = new float[n];
            if (s.length == 2 && !zero.contains(e.getKey())) {
                double bound = Math.sqrt(6.0 / (s[0] + s[1]));
                for (int q = 0; q < n; q++) {
                    v[q] = (float) ((2 * rng.nextDouble() - 1) * bound);
                }
            }
            init.put(e.getKey(), v);
        }
        return init;
    }
}
