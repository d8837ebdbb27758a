package org.crane.onnx;

/**
 * The operations a {@link Program} records. Each is emitted as one or a few ONNX nodes by
 * {@link OnnxGraphWriter}; those marked differentiable have a rule in {@link Autodiff}.
 */
public enum Kind {
    /** A graph input (parameter, data or index), fed at run time. */
    INPUT(false),
    /** A constant stored in the graph. */
    CONSTANT(false),
    ADD(true), SUB(true), MUL(true), DIV(true), NEG(true),
    EXP(true), LOG(true), SQRT(true), TANH(true), RELU(true), SIGMOID(true), SOFTPLUS(true),
    /** Sign (-1, 0, 1): used by the ReLU rule; no gradient. */
    SIGN(false),
    IDENTITY(true),
    /**
     * The value itself in the forward pass, a constant to differentiation: no gradient flows back
     * through it (emitted as Identity).
     */
    STOP_GRADIENT(false),
    /** Matrix product with NumPy batch broadcasting (both operands of rank 2 or more). */
    MATMUL(true),
    /** uint8 times int8 matrix product accumulated in int32 (no zero points); no gradient. */
    MATMUL_INTEGER(false),
    /** Attribute {@code perm}. */
    TRANSPOSE(true),
    /** Attribute {@code shape} (static, with 0 = copy and -1 = infer). */
    RESHAPE(true),
    /** Reshape the first input to the run-time shape of the second. */
    RESHAPE_LIKE(true),
    /** Attribute {@code axes}: insert size-1 axes. */
    UNSQUEEZE(true),
    /** Broadcast the first input to the run-time shape of the second; no gradient. */
    EXPAND_LIKE(false),
    /** Attributes {@code axes}, {@code keepdims}. */
    REDUCE_SUM(true),
    /** Attributes {@code axes}, {@code keepdims}. */
    REDUCE_MEAN(true),
    /**
     * Attribute {@code axis}: {@code log(sum(exp(x)))} along one axis, which is removed; computed
     * stably (no overflow for large inputs), and its gradient is {@code softmax(x) dy} with no
     * expanded copy of dy.
     */
    LOG_SUM_EXP(true),
    /** Attribute {@code axis}. */
    SOFTMAX(true),
    /** Attribute {@code axis}. */
    LOG_SOFTMAX(true),
    /** Rows of a table (axis 0) at int64 indices of any rank. */
    GATHER_ROWS(true),
    /** Adds update rows into a zero table of {@code nRows} rows at int64 indices (duplicates add up). */
    SCATTER_ADD_ROWS(true),
    /**
     * Sum of neighbour rows, {@code y[r] = sum over r's list of x[c]}, a binary sparse product
     * without scatter-add: inputs x [cols, d], then the lists of the matrix (position per row,
     * one-entry columns, one [rows, width] index tensor per bucket; padding index = cols) and the
     * same for its transpose, used by the gradient. Attribute {@code buckets}.
     */
    NEIGHBOUR_SUM(true),
    /** The number of rows of a tensor, as an int64 vector of length 1; no gradient. */
    ROWS_OF(false),
    /** The ratio size(first) / size(second) as a float scalar; no gradient. */
    SIZE_RATIO(false),
    /** Attribute {@code axis}. */
    CONCAT(true),
    /** Attributes {@code axis}, {@code start}, {@code end} (static). */
    SLICE(true),
    /** Attributes {@code axis}, {@code before}, {@code after}: zero padding along one axis. */
    PAD_AXIS(true),
    /** 1 where the inputs are equal (broadcast), else 0, as float; no gradient. */
    EQUAL_FLOAT(false),
    /** int64 to float; no gradient. */
    CAST_FLOAT(false),
    /** Python-style remainder of int64 values by a divisor (broadcast), non-negative for a positive divisor; no gradient. */
    MOD(false),
    /** Attribute {@code k}: outputs values and int64 indices along the last axis; no gradient. */
    TOPK(false);

    private final boolean differentiable;

    Kind(boolean differentiable) {
        this.differentiable = differentiable;
    }

    /** @return whether gradients flow through this operation. */
    public boolean differentiable() {
        return differentiable;
    }
}
