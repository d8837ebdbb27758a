package org.crane.train;

import org.crane.data.MemoryBudget;

import java.util.Arrays;
import java.util.Collection;

/** What a run will hold at once, checked before anything is allocated. */
final class TrainingMemory {
    private TrainingMemory() {
    }

    /**
     * A lower bound of what training holds at once: each parameter with its gradient and two Adam
     * moments, the best representations, and the propagated layers of the user-item graph; checked
     * before anything is allocated so that a large setting ends in a message with the estimate.
     * @param shapes the parameters' shapes.
     * @param m users.
     * @param n items.
     * @param d the embedding width.
     * @param layers user-item propagation layers.
     * @throws MemoryBudget.TooLarge when it would not fit, or an array would not be int-indexable.
     */
    static void require(Collection<long[]> shapes, int m, int n, int d, int layers) {
        String what = "Training " + m + " users and " + n + " items with embeddingSize=" + d;
        long values = 0;
        for (long[] shape : shapes) {
            long size = 1;
            for (long dim : shape) {
                size = Math.multiplyExact(size, dim);
            }
            // one Java array (and one ONNX tensor buffer) per parameter: its size must be an int
            MemoryBudget.arrayLength(size, what + ": a parameter of shape " + Arrays.toString(shape));
            values = Math.addExact(values, Math.multiplyExact(4L, size));
        }
        long rows = (long) m + n;
        MemoryBudget.arrayLength(rows * d, what + ": the " + rows + " x " + d + " table of user and item representations");
        values = Math.addExact(values, Math.multiplyExact(rows * d, 2L + layers));
        MemoryBudget.require(what, Math.multiplyExact(4L, values));
    }
}
