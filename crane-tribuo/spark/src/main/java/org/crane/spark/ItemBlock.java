package org.crane.spark;

import java.io.Serializable;

/**
 * A contiguous block of the catalogue.
 * @param start the first item's index.
 * @param embeddings count x d representations of items start .. start + count - 1.
 */
record ItemBlock(int start, float[] embeddings) implements Serializable {
    /**
     * @param d the representation width.
     * @return how many items the block holds.
     */
    int count(int d) {
        return embeddings.length / d;
    }
}
