package org.crane.graph;

import java.util.SplittableRandom;

/** Feature rows for the kNN tests. */
public final class TestFeatures {
    private TestFeatures() {
    }

    /**
     * @param n rows.
     * @param dim columns.
     * @param seed the seed.
     * @return standard Gaussian values, row-major.
     */
    public static float[] gaussian(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * Items around n / 8 centres, as real embeddings cluster.
     * @param n rows.
     * @param dim columns.
     * @param seed the seed.
     * @return row-major values.
     */
    public static float[] clustered(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[n / 8][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = c[j] + 0.7f * (float) r.nextGaussian();
            }
        }
        return x;
    }
}
