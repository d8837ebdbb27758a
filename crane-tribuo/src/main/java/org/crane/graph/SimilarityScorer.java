package org.crane.graph;

/**
 * Computes cosine similarities of a block of items against all items. Plugged into
 * {@link KnnGraphBuilder} so that the heavy products can run in ONNX Runtime.
 */
public interface SimilarityScorer {
    /**
     * @param from first item of the block.
     * @param to one past the last item.
     * @param out receives {@code (to - from) x numItems} similarities, row-major.
     */
    void similarities(int from, int to, float[] out);

    /** @return the number of items. */
    int numItems();
}
