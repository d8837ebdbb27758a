package org.crane.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A differentiable program: the tape of operations that model code records through {@link Tensor}
 * methods. {@link Autodiff} appends gradient operations to the same tape, and
 * {@link OnnxGraphWriter} emits any set of its values as one ONNX graph, so the same model code
 * gives the scoring graph (forward only) and the training graph (forward, loss and gradients).
 * Shapes are inferred statically where known; -1 marks a run-time dimension.
 */
public final class Program {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> inputs = new HashMap<>();
    private final Map<Float, Tensor> scalars = new HashMap<>();
    private final Map<Tensor, Tensor> transposed = new HashMap<>();

    /** Creates an empty program. */
    public Program() {
    }

    /**
     * Declares a graph input.
     * @param name its unique name.
     * @param dtype its element type.
     * @param shape its shape; -1 for a run-time dimension.
     * @return the input value.
     */
    public Tensor input(String name, DType dtype, long... shape) {
        if (inputs.containsKey(name)) {
            throw new IllegalArgumentException("Input '" + name + "' is declared twice");
        }
        Node n = new Node(this, nodes.size(), Kind.INPUT, List.of(), Map.of(), name);
        nodes.add(n);
        Tensor t = new Tensor(n, 0, dtype, shape.clone());
        n.outputs = new Tensor[]{t};
        inputs.put(name, t);
        return t;
    }

    /**
     * Declares a second input holding the transpose of a rank-2 input, fed alongside it. Gradients
     * that need {@code x^T} (a MatMul's weight gradient {@code x^T dy}) then read this input instead
     * of transposing {@code x} at run time: for frozen feature tables ONNX Runtime otherwise copies
     * the whole table into a transposed buffer on every step.
     * @param x a rank-2 input.
     * @param name the transposed input's name.
     * @return the transposed input.
     */
    public Tensor transposedInput(Tensor x, String name) {
        if (x.node.kind != Kind.INPUT || x.rank() != 2) {
            throw new IllegalArgumentException("Only a rank-2 graph input can have a transposed twin, not " + x);
        }
        Tensor t = input(name, x.dtype(), x.dim(1), x.dim(0));
        transposed.put(x, t);
        return t;
    }

    /**
     * @param x a value.
     * @return its transposed twin input, or null.
     */
    Tensor transposedTwin(Tensor x) {
        return transposed.get(x);
    }

    /**
     * @param value a float.
     * @return a scalar constant (shared per value).
     */
    public Tensor scalar(float value) {
        return scalars.computeIfAbsent(value, v -> constant(new float[]{v}));
    }

    /**
     * @param values float data, row-major.
     * @param shape its shape (empty for a scalar).
     * @return a float constant.
     */
    public Tensor constant(float[] values, long... shape) {
        check(values.length, shape);
        return constNode(DType.FLOAT, values, shape);
    }

    /**
     * @param values int64 data, row-major.
     * @param shape its shape (empty for a scalar).
     * @return an int64 constant.
     */
    public Tensor constantLong(long[] values, long... shape) {
        check(values.length, shape);
        return constNode(DType.INT64, values, shape);
    }

    private static void check(int n, long[] shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    private Tensor constNode(DType dtype, Object values, long[] shape) {
        Node n = new Node(this, nodes.size(), Kind.CONSTANT, List.of(), Map.of("value", values, "shape", shape.clone()), null);
        nodes.add(n);
        Tensor t = new Tensor(n, 0, dtype, shape.clone());
        n.outputs = new Tensor[]{t};
        return t;
    }

    /**
     * @param axis the axis.
     * @param parts values to join along it.
     * @return their concatenation.
     */
    public Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Nothing to concatenate");
        }
        int a = axis < 0 ? parts.get(0).rank() + axis : axis;
        return op(Kind.CONCAT, parts, Map.of("axis", a));
    }

    /**
     * Adds rows into a zero table: {@code out[indices[j]] += updates[j]}. With
     * {@link Tensor#gatherRows} this gives sparse propagation: for a COO matrix A (rows r, cols c,
     * values v), {@code A X = scatterAddRows(r, X.gatherRows(c) * v, n)}.
     * @param indices int64 row indices.
     * @param updates rows to add, shape indices.shape ++ row shape.
     * @param nRows the table's row count as an int64 vector of length 1.
     * @return the table.
     */
    public Tensor scatterAddRows(Tensor indices, Tensor updates, Tensor nRows) {
        return op(Kind.SCATTER_ADD_ROWS, List.of(indices, updates, nRows), null);
    }

    /**
     * A binary sparse matrix times dense rows without scatter-add: {@code y[r] = sum over r's
     * neighbour list of x[c]}. Each width class of the lists is one gather and one sum over the
     * list axis, so every part runs on all intra-op threads and is exact; the gradient is the same
     * product with the transpose's lists.
     * @param x dense rows [cols, d].
     * @param lists the matrix's lists (padding index = cols).
     * @param transposed the transpose's lists (padding index = rows).
     * @return y [rows, d].
     */
    public Tensor neighbourSum(Tensor x, NeighbourInputs lists, NeighbourInputs transposed) {
        if (lists.buckets().size() != transposed.buckets().size()) {
            throw new IllegalArgumentException("A matrix and its transpose need the same bucket count: "
                    + lists.buckets().size() + " and " + transposed.buckets().size());
        }
        if (x.rank() != 2) {
            throw new IllegalArgumentException("neighbourSum needs rank-2 rows, got " + x);
        }
        List<Tensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(lists.all());
        in.addAll(transposed.all());
        return op(Kind.NEIGHBOUR_SUM, in, Map.of("buckets", lists.buckets().size()));
    }

    /**
     * @param n a row count.
     * @return it as an int64 constant vector of length 1.
     */
    public Tensor rows(long n) {
        return constantLong(new long[]{n}, 1);
    }

    /**
     * @param name an input name.
     * @return the declared input.
     */
    public Tensor getInput(String name) {
        Tensor t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("No input '" + name + "'");
        }
        return t;
    }

    List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    Tensor op(Kind kind, List<Tensor> in, Map<String, Object> attrs) {
        return opMulti(kind, in, attrs, 1)[0];
    }

    Tensor[] opMulti(Kind kind, List<Tensor> in, Map<String, Object> attrs, int numOutputs) {
        for (Tensor t : in) {
            if (t.node.program != this) {
                throw new IllegalArgumentException("Value " + t + " belongs to another program");
            }
        }
        Node n = new Node(this, nodes.size(), kind, in, attrs, null);
        Tensor[] outs = new Tensor[numOutputs];
        for (int i = 0; i < numOutputs; i++) {
            outs[i] = new Tensor(n, i, ShapeInference.dtype(n, i), ShapeInference.shape(n, i));
        }
        n.outputs = outs;
        nodes.add(n);
        return outs;
    }
}
