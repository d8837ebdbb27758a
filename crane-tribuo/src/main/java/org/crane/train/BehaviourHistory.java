package org.crane.train;

import org.crane.engine.SparseKernel;
import org.crane.engine.SparseRows;
import org.crane.graph.CooMatrix;

import java.nio.FloatBuffer;

/**
 * The history of local steps, {@code sum_{l=2..L} Ahat^l [EU; EI]}, in Java by the sparse kernel
 * (forward only: the history is read as a constant). In ONNX Runtime the same products gathered a row
 * per adjacency entry, and the session's memory arena kept that working set for the whole run
 * (Electronics shape: 1.1 GB); here the products need three tables of the embeddings' size, kept from
 * one refresh to the next.
 */
final class BehaviourHistory {
    private final SparseKernel kernel;
    private final int layers;
    private final int d;
    private final float[] current;
    private final float[] next;
    private final float[] sum;
    private SparseRows adjacency;

    /**
     * @param kernel the sparse products.
     * @param nodes users + items.
     * @param d the embedding size (a multiple of 8).
     * @param layers L, at least 2.
     */
    BehaviourHistory(SparseKernel kernel, int nodes, int d, int layers) {
        if (layers < 2) {
            throw new IllegalArgumentException("The history holds layers 2 to L_ui; L_ui is " + layers);
        }
        this.kernel = kernel;
        this.layers = layers;
        this.d = d;
        int size = Math.multiplyExact(nodes, d);
        this.current = new float[size];
        this.next = new float[size];
        this.sum = new float[size];
    }

    /** @param a the normalised adjacency the coming refreshes propagate over. */
    void adjacency(CooMatrix a) {
        adjacency = SparseRows.of(a);
    }

    /**
     * @param users the user ID embeddings (M x d).
     * @param items the item ID embeddings (N x d).
     * @param out receives the history ((M + N) x d).
     */
    void refresh(FloatBuffer users, FloatBuffer items, FloatBuffer out) {
        if (adjacency == null) {
            throw new IllegalStateException("No adjacency to propagate over");
        }
        users.get(0, current, 0, users.limit());
        items.get(0, current, users.limit(), items.limit());
        float[] a = current;
        float[] b = next;
        for (int l = 1; l <= layers; l++) {
            kernel.multiply(adjacency, a, d, b);
            if (l == 2) {
                System.arraycopy(b, 0, sum, 0, sum.length);
            } else if (l > 2) {
                for (int q = 0; q < sum.length; q++) {
                    sum[q] += b[q];
                }
            }
            float[] t = a;
            a = b;
            b = t;
        }
        out.put(0, sum, 0, sum.length);
    }
}
