package org.crane.graph;

/**
 * The filter of {@link QuantizedKnn}'s offers: the first estimate of a row at or above the row
 * item's bar or its column item's bar. {@link #fastest()} uses the JDK's vector API when the JVM
 * was started with {@code --add-modules jdk.incubator.vector}, plain Java otherwise; both return the same index.
 */
interface BarScan {
    /**
     * @param estimates a row's estimates.
     * @param bar every item's bar.
     * @param barOffset the item of estimate 0.
     * @param rowBar the row item's bar.
     * @param from first index.
     * @param to end index.
     * @return the first {@code j} in {@code [from, to)} with {@code estimates[j] >= rowBar} or
     *         {@code estimates[j] >= bar[barOffset + j]}; {@code to} when there is none.
     */
    int next(float[] estimates, float[] bar, int barOffset, float rowBar, int from, int to);

    /** Plain Java. */
    BarScan SCALAR = (estimates, bar, barOffset, rowBar, from, to) -> {
        for (int j = from; j < to; j++) {
            float s = estimates[j];
            if (s >= rowBar | s >= bar[barOffset + j]) {
                return j;
            }
        }
        return to;
    };

    /** @return the vector-API implementation when the module is present, else {@link #SCALAR}. */
    static BarScan fastest() {
        return Holder.FASTEST;
    }

    /** Looks the vector module up once, and only then loads the class that links against it. */
    final class Holder {
        private static final BarScan FASTEST = VectorApi.implementation(BarScan.class, "org.crane.graph.VectorBarScan", SCALAR, "the kNN offer filter uses plain Java");

        private Holder() {
        }
    }
}
