package org.crane.engine;

import java.util.Arrays;

/**
 * A frozen sparse matrix stored by rows within column blocks: for column block {@code b} (columns
 * {@code b * block} up to the next block), row {@code r}'s non-zero entries are
 * {@code index[q], value[q]} for {@code q} from {@code ptr[b * rows + r]} to {@code ptr[b * rows + r + 1]},
 * columns ascending. Multiplying by a dense matrix one column block at a time keeps that matrix's
 * rows of the block in cache, which is what makes a sparse product beat a dense GEMM on ReLU-like
 * CNN features (about a fifth of the entries non-zero).
 * @param rows rows.
 * @param cols columns.
 * @param block columns per block.
 * @param ptr start of each (block, row) run, {@code blocks * rows + 1} entries.
 * @param index column of each entry.
 * @param value value of each entry.
 */
public record SparseRows(int rows, int cols, int block, int[] ptr, int[] index, float[] value) {

    /** @return the number of column blocks. */
    public int blocks() {
        return (cols + block - 1) / block;
    }

    /** @return the number of stored (non-zero) entries. */
    public int nonZeros() {
        return value.length;
    }

    /**
     * @param dense a row-major {@code rows x cols} matrix.
     * @param rows rows.
     * @param cols columns.
     * @param block columns per block (at least 1).
     * @return its non-zero entries.
     */
    public static SparseRows of(float[] dense, int rows, int cols, int block) {
        return build(dense, rows, cols, block, false);
    }

    /**
     * @param dense a row-major {@code rows x cols} matrix.
     * @param rows its rows.
     * @param cols its columns.
     * @param block columns of the transpose per block, i.e. rows of {@code dense} (at least 1).
     * @return the non-zero entries of its {@code cols x rows} transpose.
     */
    public static SparseRows ofTransposed(float[] dense, int rows, int cols, int block) {
        return build(dense, rows, cols, block, true);
    }

    /**
     * @param dense a matrix's values.
     * @return the fraction of them that are not zero (0 for an empty matrix).
     */
    public static double density(float[] dense) {
        long nz = 0;
        for (float v : dense) {
            if (v != 0f) {
                nz++;
            }
        }
        return dense.length == 0 ? 0 : nz / (double) dense.length;
    }

    private static SparseRows build(float[] dense, int rows, int cols, int block, boolean transpose) {
        if (block < 1) {
            throw new IllegalArgumentException("block must be >= 1, got " + block);
        }
        if ((long) rows * cols != dense.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix given " + dense.length + " values");
        }
        int outRows = transpose ? cols : rows;
        int outCols = transpose ? rows : cols;
        int blocks = (outCols + block - 1) / block;
        int[] ptr = new int[Math.toIntExact((long) blocks * outRows + 1)];
        // one pass to count each (block, row) run, one to fill; both read the dense matrix in order
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (dense[r * cols + c] != 0f) {
                    ptr[transpose ? (r / block) * outRows + c + 1 : (c / block) * outRows + r + 1]++;
                }
            }
        }
        for (int s = 0; s + 1 < ptr.length; s++) {
            ptr[s + 1] = Math.addExact(ptr[s + 1], ptr[s]);   // fails loudly past 2^31 non-zeros
        }
        int[] index = new int[ptr[ptr.length - 1]];
        float[] value = new float[index.length];
        int[] fill = Arrays.copyOf(ptr, ptr.length - 1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = dense[r * cols + c];
                if (v != 0f) {
                    int q = fill[transpose ? (r / block) * outRows + c : (c / block) * outRows + r]++;
                    index[q] = transpose ? r : c;
                    value[q] = v;
                }
            }
        }
        return new SparseRows(outRows, outCols, block, ptr, index, value);
    }

    @Override
    public String toString() {
        return "SparseRows[" + rows + " x " + cols + ", " + value.length + " non-zeros, block " + block + "]";
    }
}
