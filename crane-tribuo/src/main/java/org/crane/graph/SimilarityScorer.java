package org.crane.graph;

/**
 * Computes cosine similarities between two ranges of items. Plugged into {@link KnnGraphBuilder}
 * so that the heavy products can run in ONNX Runtime.
 */
public interface SimilarityScorer {
    /**
     * @param rowFrom first item of the row range.
     * @param rowTo one past its last item.
     * @param colFrom first item of the column range.
     * @param colTo one past its last item.
     * @param out receives {@code (rowTo - rowFrom) x (colTo - colFrom)} similarities, row-major.
     */
    void similarities(int rowFrom, int rowTo, int colFrom, int colTo, float[] out);

    /** @return the number of items. */
    int numItems();
}
