package org.crane.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A value in a {@link Program}: one output of a recorded operation, with its element type and its
 * static shape ({@code -1} for a dimension known only at run time). The methods record new
 * operations, so model code reads like the maths: {@code x.matmul(w).add(b).relu()}.
 */
public final class Tensor {
    final Node node;
    final int index;
    private final DType dtype;
    private final long[] shape;

    Tensor(Node node, int index, DType dtype, long[] shape) {
        this.node = node;
        this.index = index;
        this.dtype = dtype;
        this.shape = shape;
    }

    /** @return the element type. */
    public DType dtype() {
        return dtype;
    }

    /** @return the static shape; -1 marks a run-time dimension. */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the rank. */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis an axis (negative counts from the end).
     * @return its static size, or -1.
     */
    public long dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** @return the program this value belongs to. */
    public Program program() {
        return node.program();
    }

    /** @return the input's name for graph inputs, else null. */
    public String name() {
        return node.name;
    }

    private Program p() {
        return node.program();
    }

    /** @param o another value (broadcast). @return this + o. */
    public Tensor add(Tensor o) {
        return p().op(Kind.ADD, List.of(this, o), null);
    }

    /** @param o another value (broadcast). @return this - o. */
    public Tensor sub(Tensor o) {
        return p().op(Kind.SUB, List.of(this, o), null);
    }

    /** @param o another value (broadcast). @return this * o, elementwise. */
    public Tensor mul(Tensor o) {
        return p().op(Kind.MUL, List.of(this, o), null);
    }

    /** @param o another value (broadcast). @return this / o, elementwise. */
    public Tensor div(Tensor o) {
        return p().op(Kind.DIV, List.of(this, o), null);
    }

    /** @param c a constant. @return this * c. */
    public Tensor mul(float c) {
        return mul(p().scalar(c));
    }

    /** @param c a constant. @return this + c. */
    public Tensor add(float c) {
        return add(p().scalar(c));
    }

    /** @return -this. */
    public Tensor neg() {
        return p().op(Kind.NEG, List.of(this), null);
    }

    /** @return exp(this). */
    public Tensor exp() {
        return p().op(Kind.EXP, List.of(this), null);
    }

    /** @return natural log. */
    public Tensor log() {
        return p().op(Kind.LOG, List.of(this), null);
    }

    /** @return square root. */
    public Tensor sqrt() {
        return p().op(Kind.SQRT, List.of(this), null);
    }

    /** @return tanh. */
    public Tensor tanh() {
        return p().op(Kind.TANH, List.of(this), null);
    }

    /** @return max(this, 0). */
    public Tensor relu() {
        return p().op(Kind.RELU, List.of(this), null);
    }

    /** @return the logistic sigmoid. */
    public Tensor sigmoid() {
        return p().op(Kind.SIGMOID, List.of(this), null);
    }

    /** @return log(1 + exp(this)). */
    public Tensor softplus() {
        return p().op(Kind.SOFTPLUS, List.of(this), null);
    }

    /** @return log(sigmoid(this)) = -softplus(-this), computed stably. */
    public Tensor logSigmoid() {
        return neg().softplus().neg();
    }

    /** @return the sign (-1, 0, 1); not differentiable. */
    public Tensor sign() {
        return p().op(Kind.SIGN, List.of(this), null);
    }

    /** @return an identity copy. */
    public Tensor identity() {
        return p().op(Kind.IDENTITY, List.of(this), null);
    }

    /** @return this value, treated as a constant by {@link Autodiff}: no gradient flows back through it. */
    public Tensor stopGradient() {
        return p().op(Kind.STOP_GRADIENT, List.of(this), null);
    }

    /** @param o the right operand. @return the matrix product (batch dimensions broadcast). */
    public Tensor matmul(Tensor o) {
        return p().op(Kind.MATMUL, List.of(this, o), null);
    }

    /**
     * @param o the right operand, int8.
     * @return this uint8 value times {@code o}, exact in int32 (ONNX MatMulInteger without zero points).
     */
    public Tensor matmulInteger(Tensor o) {
        return p().op(Kind.MATMUL_INTEGER, List.of(this, o), null);
    }

    /** @param perm the axis permutation. @return the transposed value. */
    public Tensor transpose(int... perm) {
        return p().op(Kind.TRANSPOSE, List.of(this), Map.of("perm", perm.clone()));
    }

    /** @return this with its last two axes swapped. */
    public Tensor transposeLast2() {
        int r = rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return transpose(perm);
    }

    /** @param newShape target shape (0 copies a dimension, one -1 is inferred). @return the reshaped value. */
    public Tensor reshape(long... newShape) {
        return p().op(Kind.RESHAPE, List.of(this), Map.of("shape", newShape.clone()));
    }

    /** @param like a value of the target shape. @return this reshaped to like's run-time shape. */
    public Tensor reshapeLike(Tensor like) {
        return p().op(Kind.RESHAPE_LIKE, List.of(this, like), null);
    }

    /** @param axes where to insert size-1 axes (in the output's numbering). @return the result. */
    public Tensor unsqueeze(int... axes) {
        return p().op(Kind.UNSQUEEZE, List.of(this), Map.of("axes", axes.clone()));
    }

    /** @param like a value of the target shape. @return this broadcast to like's shape (no gradient). */
    public Tensor expandLike(Tensor like) {
        return p().op(Kind.EXPAND_LIKE, List.of(this, like), null);
    }

    /** @param keepDims keep reduced axes as size 1. @param axes axes to sum. @return the sum. */
    public Tensor sum(boolean keepDims, int... axes) {
        return p().op(Kind.REDUCE_SUM, List.of(this), Map.of("axes", axes.clone(), "keepdims", keepDims ? 1 : 0));
    }

    /** @param keepDims keep reduced axes as size 1. @param axes axes to average. @return the mean. */
    public Tensor mean(boolean keepDims, int... axes) {
        return p().op(Kind.REDUCE_MEAN, List.of(this), Map.of("axes", axes.clone(), "keepdims", keepDims ? 1 : 0));
    }

    /** @return the sum of all elements, a scalar. */
    public Tensor sumAll() {
        return sum(false, allAxes());
    }

    /** @return the mean of all elements, a scalar. */
    public Tensor meanAll() {
        return mean(false, allAxes());
    }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** @param axis the axis (removed). @return {@code log(sum(exp(this)))} along it, computed stably. */
    public Tensor logSumExp(int axis) {
        return p().op(Kind.LOG_SUM_EXP, List.of(this), Map.of("axis", axis));
    }

    /** @param axis the axis. @return the softmax along it. */
    public Tensor softmax(int axis) {
        return p().op(Kind.SOFTMAX, List.of(this), Map.of("axis", axis));
    }

    /** @param axis the axis. @return log-softmax along it. */
    public Tensor logSoftmax(int axis) {
        return p().op(Kind.LOG_SOFTMAX, List.of(this), Map.of("axis", axis));
    }

    /** @param indices int64 row indices of any rank. @return the selected rows. */
    public Tensor gatherRows(Tensor indices) {
        return p().op(Kind.GATHER_ROWS, List.of(this, indices), null);
    }

    /** @param axis the axis. @param start first index. @param end one past the last. @return the slice. */
    public Tensor slice(int axis, long start, long end) {
        int a = axis < 0 ? rank() + axis : axis;
        return p().op(Kind.SLICE, List.of(this), Map.of("axis", a, "start", start, "end", end));
    }

    /** @param axis the axis. @param before zeros before. @param after zeros after. @return the padded value. */
    public Tensor padAxis(int axis, long before, long after) {
        int a = axis < 0 ? rank() + axis : axis;
        return p().op(Kind.PAD_AXIS, List.of(this), Map.of("axis", a, "before", before, "after", after));
    }

    /** @return the row count as an int64 vector of length 1. */
    public Tensor rowsOf() {
        return p().op(Kind.ROWS_OF, List.of(this), null);
    }

    /** @param o another value of the same type (broadcast). @return 1 where equal, else 0, as float (no gradient). */
    public Tensor equalTo(Tensor o) {
        return p().op(Kind.EQUAL_FLOAT, List.of(this, o), null);
    }

    /**
     * @param divisor a positive int64 value (broadcast).
     * @return this int64 value modulo the divisor, in [0, divisor).
     */
    public Tensor mod(Tensor divisor) {
        return p().op(Kind.MOD, List.of(this, divisor), null);
    }

    /** @return this int64 value as float. */
    public Tensor toFloat() {
        return p().op(Kind.CAST_FLOAT, List.of(this), null);
    }

    /**
     * Row-wise L2 normalisation over the last axis: x / sqrt(sum(x^2) + eps).
     * @param eps added under the root.
     * @return the normalised value.
     */
    public Tensor l2NormalizeRows(float eps) {
        return div(mul(this).sum(true, -1).add(eps).sqrt());
    }

    /**
     * Top-k along the last axis (largest first, sorted).
     * @param k how many.
     * @return {values, int64 indices}.
     */
    public Tensor[] topK(int k) {
        return p().opMulti(Kind.TOPK, List.of(this), Map.of("k", k), 2);
    }

    @Override
    public String toString() {
        return node.kind + "#" + node.id + (index > 0 ? ":" + index : "") + (node.name != null ? "(" + node.name + ")" : "")
                + dtype + Arrays.toString(shape);
    }
}
