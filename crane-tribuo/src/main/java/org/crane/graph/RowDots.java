package org.crane.graph;

/**
 * Dot products between rows of one row-major matrix, the inner loop of an approximate kNN search.
 * {@link #fastest()} uses the JDK's vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code crane} launcher and the tests do), plain
 * Java otherwise.
 */
interface RowDots {
    /**
     * @param x row-major values.
     * @param a offset of the first row.
     * @param b offset of the second row.
     * @param dim row width.
     * @return their dot product.
     */
    float dot(float[] x, int a, int b, int dim);

    /** Plain Java, four partial sums. */
    RowDots SCALAR = (x, a, b, dim) -> {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += x[a + i] * x[b + i];
            s1 += x[a + i + 1] * x[b + i + 1];
            s2 += x[a + i + 2] * x[b + i + 2];
            s3 += x[a + i + 3] * x[b + i + 3];
        }
        for (; i < dim; i++) {
            s0 += x[a + i] * x[b + i];
        }
        return (s0 + s1) + (s2 + s3);
    };

    /**
     * @param x row-major rows.
     * @param n rows.
     * @param dim row width.
     * @param workers the threads.
     * @return {@code 1 / |x_r|} of every row by the {@link #fastest()} dots (0 for a zero row), computed on the workers.
     */
    static float[] inverseNorms(float[] x, int n, int dim, Parallel workers) {
        RowDots dots = fastest();
        float[] inverse = new float[n];
        int threads = workers.threads();
        workers.run(t -> {
            for (int i = t; i < n; i += threads) {
                float s = dots.dot(x, i * dim, i * dim, dim);
                inverse[i] = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
            }
        });
        return inverse;
    }

    /** @return the vector-API implementation when the module is present, else {@link #SCALAR}. */
    static RowDots fastest() {
        return Holder.FASTEST;
    }

    /** Looks the vector module up once, and only then loads the class that links against it. */
    final class Holder {
        private static final RowDots FASTEST = VectorApi.implementation(RowDots.class, "org.crane.graph.VectorRowDots", SCALAR, "kNN search uses plain Java");

        private Holder() {
        }
    }
}
