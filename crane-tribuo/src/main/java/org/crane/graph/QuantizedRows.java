package org.crane.graph;

import java.nio.ByteBuffer;

/**
 * The rows of a feature matrix, as cosine residuals quantised to 8-bit integers, for the integer
 * similarity products of {@link QuantizedKnn}. Each row is normalised, {@code y_r = x_r / |x_r|},
 * and split into the rows' mean direction and a residual, {@code y_r = m + e_r}, so that
 * {@code cos(r, j) = m.m + m.e_r + m.e_j + e_r.e_j}: only the last term is estimated, and its error scales
 * with the residuals, not with the rows. (Features whose items share a large common component, as audio
 * embeddings with cosines of 0.97 +- 0.02 between random items, otherwise lose their differences in
 * the rounding: such features gave 53 % recall before the split.) The residual {@code e_r}, with largest
 * magnitude {@code s_r}, is held twice, in native memory (2 x rows x dim bytes):
 * <ul>
 *   <li>as a left operand, unsigned: {@code a_r = 64 + round(63 e_r / s_r)}, in [1, 127], row-major;</li>
 *   <li>as a right operand, signed: {@code b_r = round(127 e_r / s_r)}, in [-127, 127], transposed
 *       block by block: block {@code c} holds items {@code [c W, (c+1) W)} as a {@code dim x w}
 *       row-major matrix, so that a product reads it as it is.</li>
 * </ul>
 * Then {@code a_r . b_j - 64 sum(b_j)} is {@code (63 / s_r)(127 / s_j) e_r . e_j} up to rounding, and
 * {@link #estimate} turns it into the cosine's estimate.
 * <p>
 * The 7-bit left operand keeps every pair of products within a signed 16-bit sum
 * ({@code 2 x 127 x 127 < 32768}): x86 integer kernels without VNNI add pairs with saturation, so
 * wider operands could round differently from machine to machine; these give the same integers everywhere.
 */
public final class QuantizedRows implements AutoCloseable {
    /** Offset of the unsigned left operand (its zero). */
    private static final int LEFT_ZERO = 64;
    private static final int LEFT_LEVELS = 63;
    private static final int RIGHT_LEVELS = 127;
    /** 1.5 x 2^23: see {@link #quantise}. */
    private static final float ROUNDING = 12_582_912f;
    /** Rows quantised at a time while the transposed blocks are written (keeps the gather cache-resident). */
    private static final int CHUNK = 64;

    private final int rows;
    private final int dim;
    private final int blockWidth;
    private final ByteBuffer left;
    private final ByteBuffer right;
    private final float[] leftScale;
    private final float[] rightScale;
    private final int[] rightOffset;
    /** {@code m.m / 2 + m.e_r} of each row: its part of every cosine that is not estimated (see {@link #estimate}). */
    private final float[] bias;
    private final float[] mean;

    private QuantizedRows(int rows, int dim, int blockWidth, Parallel workers) {
        this.rows = rows;
        this.dim = dim;
        this.blockWidth = blockWidth;
        // allocating zeroes the memory and faults its pages in, one thread per buffer: measured 1.3 s for
        // 2 x 258 MB on one thread here, 0.77 s on two
        ByteBuffer[] buffers = new ByteBuffer[2];
        workers.run(2, b -> buffers[b] = ByteBuffer.allocateDirect(rows * dim));
        this.left = buffers[0];
        this.right = buffers[1];
        this.leftScale = new float[rows];
        this.rightScale = new float[rows];
        this.rightOffset = new int[rows];
        this.bias = new float[rows];
        this.mean = new float[dim];
    }

    /**
     * @param rows rows.
     * @param dim row width.
     * @return whether the quantised rows fit one buffer each and their products fit int32.
     */
    public static boolean fits(int rows, int dim) {
        return (long) rows * dim <= Integer.MAX_VALUE && (long) dim * 127 * 127 <= Integer.MAX_VALUE;
    }

    /**
     * Quantises on the calling thread.
     * @param x row-major features, rows x dim.
     * @param rows rows.
     * @param dim row width.
     * @param blockWidth items per transposed block of the right operand.
     * @return the quantised rows.
     * @throws IllegalArgumentException if the shapes disagree or do not {@link #fits fit}.
     */
    public static QuantizedRows of(float[] x, int rows, int dim, int blockWidth) {
        if (rows < 1 || dim < 1 || (long) rows * dim != x.length) {
            throw new IllegalArgumentException(rows + " x " + dim + " rows, but " + x.length + " values");
        }
        try (Parallel one = new Parallel(1, "crane-quantise")) {
            return of(x, rows, dim, blockWidth, RowDots.inverseNorms(x, rows, dim, one), one);
        }
    }

    /**
     * @param x row-major features, rows x dim.
     * @param rows rows.
     * @param dim row width.
     * @param blockWidth items per transposed block of the right operand.
     * @param inverseNorm 1 / |x_r| of each row (0 for a zero row).
     * @param workers the threads, which quantise whole blocks each.
     * @return the quantised rows.
     * @throws IllegalArgumentException if the shapes disagree or do not {@link #fits fit}.
     */
    static QuantizedRows of(float[] x, int rows, int dim, int blockWidth, float[] inverseNorm, Parallel workers) {
        if (rows < 1 || dim < 1 || blockWidth < 1 || (long) rows * dim != x.length) {
            throw new IllegalArgumentException(rows + " x " + dim + " rows in blocks of " + blockWidth + ", but " + x.length + " values");
        }
        if (!fits(rows, dim)) {
            throw new IllegalArgumentException(rows + " x " + dim + " features are too many for 8-bit similarity products "
                    + "(at most 2^31 values and 133,000 columns)");
        }
        QuantizedRows q = new QuantizedRows(rows, dim, blockWidth, workers);
        int threads = workers.threads();
        q.meanDirection(x, inverseNorm, workers);
        float half = q.dot(q.mean, q.mean) / 2;
        workers.run(t -> {
            // rows in the chunk are padded by a cache line: at a power-of-two stride the gather of
            // transposeInto would hit one cache set only
            int stride = dim + 64;
            byte[] chunk = new byte[CHUNK * stride];
            byte[] column = new byte[CHUNK];
            byte[] leftRow = new byte[dim];
            float[] residual = new float[dim];
            for (int block = t; block < q.blocks(); block += threads) {
                int c0 = block * blockWidth;
                int w = q.blockWidth(block);
                for (int r0 = c0; r0 < c0 + w; r0 += CHUNK) {
                    int r1 = Math.min(c0 + w, r0 + CHUNK);
                    for (int r = r0; r < r1; r++) {
                        q.quantise(x, r, inverseNorm[r], half, residual, chunk, (r - r0) * stride, leftRow);
                    }
                    q.transposeInto(chunk, stride, column, r0, r1, c0, w);
                }
            }
        });
        return q;
    }

    /**
     * Sets {@link #mean} to the mean of the normalised rows: float sums of up to 1024 rows (a loop
     * the JIT vectorises), added into double sums per thread.
     */
    private void meanDirection(float[] x, float[] inverseNorm, Parallel workers) {
        int threads = workers.threads();
        double[][] sums = new double[threads][dim];
        workers.run(t -> {
            double[] sum = sums[t];
            float[] part = new float[dim];
            int inPart = 0;
            for (int r = t; r < rows; r += threads) {
                float inv = inverseNorm[r];
                int from = r * dim;
                for (int c = 0; c < dim; c++) {
                    part[c] += x[from + c] * inv;
                }
                if (++inPart == 1024 || r + threads >= rows) {
                    for (int c = 0; c < dim; c++) {
                        sum[c] += part[c];
                        part[c] = 0;
                    }
                    inPart = 0;
                }
            }
        });
        for (int c = 0; c < dim; c++) {
            double total = 0;
            for (double[] sum : sums) {
                total += sum[c];
            }
            mean[c] = (float) (total / rows);
        }
    }

    private float dot(float[] a, float[] b) {
        double s = 0;
        for (int c = 0; c < dim; c++) {
            s += (double) a[c] * b[c];
        }
        return (float) s;
    }

    /**
     * Quantises row r's residual {@code e_r = x_r / |x_r| - m} and sets its scales, offset and bias
     * ({@code m.m/2 + m.e_r}: each item carries half of the common {@code m.m}, so that the bias of a
     * pair is the sum of its two items').
     */
    private void quantise(float[] x, int r, float inverseNorm, float half, float[] residual, byte[] out, int at, byte[] leftRow) {
        int from = r * dim;
        float max = 0;
        for (int c = 0; c < dim; c++) {
            residual[c] = x[from + c] * inverseNorm - mean[c];
        }
        for (int c = 0; c < dim; c++) {
            max = Math.max(max, Math.abs(residual[c]));
        }
        bias[r] = half + dot(mean, residual);
        int offset = 0;
        if (max > 0 && Float.isFinite(max)) {
            float toLeft = LEFT_LEVELS / max;
            float toRight = RIGHT_LEVELS / max;
            // adding and taking away 1.5 x 2^23 rounds a float below 2^22 to the nearest integer (halves to even):
            // plain float arithmetic that the JIT vectorises, unlike Math.round (three simple loops: vectorised, one was not)
            for (int c = 0; c < dim; c++) {
                out[at + c] = (byte) (int) ((residual[c] * toRight + ROUNDING) - ROUNDING);
            }
            for (int c = 0; c < dim; c++) {
                leftRow[c] = (byte) (LEFT_ZERO + (int) ((residual[c] * toLeft + ROUNDING) - ROUNDING));
            }
            for (int c = 0; c < dim; c++) {
                offset += out[at + c];
            }
            leftScale[r] = max / LEFT_LEVELS;
            rightScale[r] = max / RIGHT_LEVELS;
        } else {
            // a row equal to the mean direction (or not finite): its residual is 0 (or unknown)
            java.util.Arrays.fill(out, at, at + dim, (byte) 0);
            java.util.Arrays.fill(leftRow, (byte) LEFT_ZERO);
            if (!Float.isFinite(max)) {
                bias[r] = 0;
            }
        }
        left.put(r * dim, leftRow);
        rightOffset[r] = LEFT_ZERO * offset;
    }

    /**
     * The cosine estimate from one integer product, in the order of operations {@link QuantizedKnn}'s loop uses.
     * @param product {@code a_r . b_j}.
     * @param r the left row.
     * @param j the right row.
     * @return the estimate of {@code cos(r, j)}.
     */
    float estimate(int product, int r, int j) {
        return (bias[r] + bias[j]) + (float) (product - rightOffset[j]) * leftScale[r] * rightScale[j];
    }

    /** Writes rows [from, to), quantised in {@code chunk}, into their block's transposed order. */
    private void transposeInto(byte[] chunk, int stride, byte[] column, int from, int to, int c0, int w) {
        int count = to - from;
        int blockBase = c0 * dim;
        for (int c = 0; c < dim; c++) {
            for (int i = 0; i < count; i++) {
                column[i] = chunk[i * stride + c];
            }
            right.put(blockBase + c * w + (from - c0), column, 0, count);
        }
    }

    /**
     * Frees the two native buffers now (QuantizedKnn does once its products are done); no slice of them
     * may be read afterwards. Without it they are freed when collected.
     */
    @Override
    public void close() {
        DirectMemory.free(left);
        DirectMemory.free(right);
    }

    /** @return the row width. */
    public int dim() {
        return dim;
    }

    /** @return the number of transposed blocks. */
    public int blocks() {
        return (rows + blockWidth - 1) / blockWidth;
    }

    /**
     * @param from first row.
     * @param to end row (exclusive).
     * @return rows [from, to) of the unsigned left operand, {@code (to - from) x dim}, sharing this object's memory.
     */
    public ByteBuffer left(int from, int to) {
        return left.slice(from * dim, (to - from) * dim);
    }

    /**
     * @param block a block index.
     * @return its transposed right operand, {@code dim x} {@link #blockWidth(int)}, sharing this object's memory.
     */
    public ByteBuffer right(int block) {
        int c0 = block * blockWidth;
        return right.slice(c0 * dim, blockWidth(block) * dim);
    }

    /** @param block a block index. @return its number of items. */
    public int blockWidth(int block) {
        return Math.min(rows, (block + 1) * blockWidth) - block * blockWidth;
    }

    /** @return the cosine scale of each row as a left operand. */
    float[] leftScale() {
        return leftScale;
    }

    /** @return the cosine scale of each row as a right operand. */
    float[] rightScale() {
        return rightScale;
    }

    /** @return {@code m.m / 2 + m.e_r} of each row (see {@link #estimate}). */
    float[] bias() {
        return bias;
    }

    /** @return {@code 64 sum(b_j)} of each row: what the left operand's offset adds to every product with it. */
    int[] rightOffset() {
        return rightOffset;
    }
}
