package org.crane.train;

import org.crane.engine.SparseKernel;
import org.crane.engine.SparseRows;
import org.crane.graph.CooMatrix;
import org.crane.model.CraneConfig;

import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * The user profiles {@code HU = P HI}, {@code P = D_U^-1 R}, computed by the sparse kernel outside the
 * graphs, and their gradient {@code P^T G_U}. In a graph the product gathered a row of HI per training
 * interaction and kept that working set (and its gradient's) in the session's memory arena for the
 * whole run: about 0.3 GB per copy at 1.26 M interactions. The maths is the graphs'; only the order of
 * the sums differs. Heap copies of both sides serve the kernel, which reads Java arrays.
 */
final class UserProfiles {
    /** Floats per bulk copy between a native buffer and the heap. */
    private static final int CHUNK = 1 << 14;
    private final SparseKernel kernel;
    private final SparseRows matrix;
    private final int d;
    private final float[] items;
    private final float[] users;

    private UserProfiles(SparseKernel kernel, SparseRows matrix, int d) {
        this.kernel = kernel;
        this.matrix = matrix;
        this.d = d;
        this.items = new float[Math.multiplyExact(matrix.cols(), d)];
        this.users = new float[Math.multiplyExact(matrix.rows(), d)];
    }

    /**
     * @param cfg the configuration.
     * @param userMean {@code D_U^-1 R} (users x items).
     * @param withModalities whether the run has a semantic view.
     * @return the profiles in Java, or empty without profiles, without the vector kernel or with the
     *         system property {@code crane.javaProfiles=false} (the graphs then compute them).
     */
    static Optional<UserProfiles> of(CraneConfig cfg, java.util.function.Supplier<CooMatrix> userMean, boolean withModalities) {
        int d = cfg.embeddingSize();
        if (!withModalities || !cfg.userProfiles() || !TrainingRun.layoutSwitch("crane.javaProfiles")) {
            return Optional.empty();
        }
        return SparseKernel.vectorised(d).map(k -> new UserProfiles(k, SparseRows.of(userMean.get()), d));
    }

    /**
     * @param itemView HI (N x d).
     * @param userView receives HU (M x d).
     */
    void forward(FloatBuffer itemView, FloatBuffer userView) {
        itemView.get(0, items, 0, items.length);
        kernel.multiply(matrix, items, d, users);
        userView.put(0, users, 0, users.length);
    }

    /**
     * @param semanticItems HI (N x d).
     * @param userEmb the users' representations without profiles (M x d): HU is added in place.
     */
    void addTo(float[] semanticItems, float[] userEmb) {
        kernel.multiply(matrix, semanticItems, d, users);
        for (int q = 0; q < users.length; q++) {
            userEmb[q] += users[q];
        }
    }

    /**
     * @param itemGrad G_I (N x d): {@code P^T G_U} is added in place.
     * @param userGrad G_U (M x d).
     */
    void backward(FloatBuffer itemGrad, FloatBuffer userGrad) {
        userGrad.get(0, users, 0, users.length);
        kernel.multiplyTransposed(matrix, users, d, items);
        float[] chunk = new float[CHUNK];
        for (int from = 0; from < items.length; from += CHUNK) {
            int len = Math.min(CHUNK, items.length - from);
            itemGrad.get(from, chunk, 0, len);
            for (int k = 0; k < len; k++) {
                chunk[k] += items[from + k];
            }
            itemGrad.put(from, chunk, 0, len);
        }
    }
}
