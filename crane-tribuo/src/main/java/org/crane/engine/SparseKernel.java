package org.crane.engine;

import org.crane.graph.VectorApi;

import java.util.Optional;

/**
 * Products of a frozen {@link SparseRows} matrix with a dense row-major matrix, on the CPU in Java.
 * The fast implementation uses the JDK's vector API ({@code jdk.incubator.vector} on Java 17), which
 * the JVM offers only when started with {@code --add-modules jdk.incubator.vector} (the {@code crane}
 * launcher and the build's tests do so); without it {@link #vectorised()} is empty and callers keep
 * their dense ONNX Runtime path.
 */
public interface SparseKernel {

    /**
     * {@code out = a . b}: {@code out} is {@code a.rows() x width}, {@code b} is {@code a.cols() x width},
     * both row-major; every row of {@code out} is written.
     * @param a the sparse matrix.
     * @param b the dense matrix.
     * @param width columns of {@code b} and {@code out}, a multiple of 8.
     * @param out receives the product.
     */
    void multiply(SparseRows a, float[] b, int width, float[] out);

    /**
     * {@code out = a^T . g} from {@code a}'s own layout (no transposed copy is stored): {@code out} is
     * {@code a.cols() x width}, {@code g} is {@code a.rows() x width}, both row-major; every row of
     * {@code out} is written. Each output row is summed by one thread in row order: repeatable.
     * @param a the sparse matrix.
     * @param g the dense matrix.
     * @param width columns of {@code g} and {@code out}, a multiple of 8.
     * @param out receives the product.
     */
    void multiplyTransposed(SparseRows a, float[] g, int width, float[] out);

    /** @return the vector-API kernel, or empty when the JVM was started without {@code jdk.incubator.vector}. */
    static Optional<SparseKernel> vectorised() {
        return Holder.VECTOR;
    }

    /**
     * @param width the dense factors' width a caller multiplies by.
     * @return the vector-API kernel when it is there and handles that width (a positive multiple of 8), else empty.
     */
    static Optional<SparseKernel> vectorised(int width) {
        return width > 0 && width % 8 == 0 ? Holder.VECTOR : Optional.empty();
    }

    /** Looks the vector module up once, and only then loads the class that links against it. */
    final class Holder {
        private static final Optional<SparseKernel> VECTOR = VectorApi.load(SparseKernel.class, "org.crane.engine.VectorSparseKernel",
                "sparse features use the dense path");

        private Holder() {
        }
    }
}
