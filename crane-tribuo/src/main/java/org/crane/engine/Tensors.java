package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.crane.graph.CooMatrix;
import org.crane.graph.NeighbourLists;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/** Creates ONNX Runtime tensors over direct buffers (no copy when ORT reads them). */
public final class Tensors {
    private Tensors() {
    }

    /**
     * @param env the environment.
     * @param values float data (copied once into a direct buffer).
     * @param shape its shape.
     * @return the tensor; close it.
     */
    public static OnnxTensor floats(OrtEnvironment env, float[] values, long... shape) {
        FloatBuffer fb = staging(values.length);
        fb.put(values).rewind();
        try {
            return OnnxTensor.createTensor(env, fb, shape);
        } catch (OrtException e) {
            throw new EngineException("Cannot create a float tensor", e);
        }
    }

    /**
     * @param env the environment.
     * @param buffer a direct, native-order buffer ({@link #staging}): the tensor reads it in place, so
     *        writing the buffer changes the tensor.
     * @param shape its shape.
     * @return the tensor; close it.
     */
    public static OnnxTensor over(OrtEnvironment env, FloatBuffer buffer, long... shape) {
        try {
            return OnnxTensor.createTensor(env, buffer, shape);
        } catch (OrtException e) {
            throw new EngineException("Cannot create a float tensor", e);
        }
    }

    /**
     * @param floats how many floats.
     * @return a direct, native-order buffer to stage rows in with {@link #rows}.
     */
    public static FloatBuffer staging(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Copies rows {@code [from, to)} of a row-major matrix into a reusable staging buffer and wraps
     * them as a {@code (to - from) x dim} tensor without a further copy. The buffer must not be
     * refilled while the tensor is in use.
     * @param env the environment.
     * @param staging a buffer from {@link #staging} with room for the rows.
     * @param x the matrix.
     * @param from first row.
     * @param to one past the last row.
     * @param dim columns.
     * @return the tensor; close it.
     */
    public static OnnxTensor rows(OrtEnvironment env, FloatBuffer staging, float[] x, int from, int to, int dim) {
        staging.clear();
        staging.put(x, from * dim, (to - from) * dim).flip();
        try {
            return OnnxTensor.createTensor(env, staging, new long[]{to - from, dim});
        } catch (OrtException e) {
            throw new EngineException("Cannot create a float tensor", e);
        }
    }

    /**
     * @param env the environment.
     * @param values int64 data (copied once into a direct buffer), as a vector.
     * @return the tensor; close it.
     */
    public static OnnxTensor longs(OrtEnvironment env, long[] values) {
        LongBuffer lb = ByteBuffer.allocateDirect(8 * values.length).order(ByteOrder.nativeOrder()).asLongBuffer();
        lb.put(values).rewind();
        try {
            return OnnxTensor.createTensor(env, lb, new long[]{values.length});
        } catch (OrtException e) {
            throw new EngineException("Cannot create an int64 tensor", e);
        }
    }

    /**
     * The inputs of a scaled-binary sparse matrix {@code diag(left) B diag(right)}: B's padded
     * neighbour lists ({@code <name>_perm}, {@code _one}, {@code _b<k>}), its transpose's
     * ({@code <name>_tperm}, {@code _tone}, {@code _tb<k>}), {@code <name>_left} and {@code _right}.
     * @param env the environment.
     * @param name the input prefix.
     * @param a the matrix.
     * @return input name to tensor; close them.
     */
    public static Map<String, OnnxTensor> scaled(OrtEnvironment env, String name, org.crane.graph.ScaledCoo a) {
        Map<String, OnnxTensor> m = new HashMap<>();
        int k = NeighbourLists.BUCKETS;
        lists(env, name + "_", NeighbourLists.of(a.rows(), a.cols(), a.row(), a.col(), k), m);
        lists(env, name + "_t", NeighbourLists.of(a.cols(), a.rows(), a.col(), a.row(), k), m);
        m.put(name + "_left", floats(env, a.left(), a.rows(), 1));
        m.put(name + "_right", floats(env, a.right(), a.cols(), 1));
        return m;
    }

    private static void lists(OrtEnvironment env, String prefix, NeighbourLists l, Map<String, OnnxTensor> m) {
        m.put(prefix + "perm", longs(env, l.perm(), l.perm().length));
        m.put(prefix + "one", longs(env, l.single(), l.single().length));
        for (int b = 0; b < l.buckets().length; b++) {
            m.put(prefix + "b" + b, longs(env, l.buckets()[b], l.buckets()[b].length / l.widths()[b], l.widths()[b]));
        }
    }

    /**
     * @param env the environment.
     * @param values int data, stored as int64.
     * @param shape its shape.
     * @return the tensor; close it.
     */
    public static OnnxTensor longs(OrtEnvironment env, int[] values, long... shape) {
        LongBuffer lb = ByteBuffer.allocateDirect(8 * values.length).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (int v : values) {
            lb.put(v);
        }
        lb.rewind();
        try {
            return OnnxTensor.createTensor(env, lb, shape);
        } catch (OrtException e) {
            throw new EngineException("Cannot create an int64 tensor", e);
        }
    }

    /**
     * The three COO inputs of a sparse matrix ({@code <name>_rows}, {@code _cols}, {@code _vals}).
     * @param env the environment.
     * @param name the input prefix.
     * @param a the matrix.
     * @return input name to tensor; close them.
     */
    public static Map<String, OnnxTensor> coo(OrtEnvironment env, String name, CooMatrix a) {
        Map<String, OnnxTensor> m = new HashMap<>();
        m.put(name + "_rows", longs(env, a.row(), a.nnz()));
        m.put(name + "_cols", longs(env, a.col(), a.nnz()));
        m.put(name + "_vals", floats(env, a.value(), a.nnz(), 1));
        return m;
    }
}
