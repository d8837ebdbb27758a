package org.crane.spark;

/**
 * Dense dot products of a user block with an item block; one per Spark partition (not thread-safe).
 */
interface BlockScorer extends AutoCloseable {
    /**
     * @param users nu x d user rows.
     * @param items ni x d item rows.
     * @param out receives nu x ni scores, row-major.
     */
    void score(float[] users, float[] items, float[] out);

    @Override
    void close();
}
