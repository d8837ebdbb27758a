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

    /** Reads one row of a matrix stored elsewhere, or computed on the fly (scaled features). */
    @FunctionalInterface
    public interface RowReader {
        /**
         * @param r a row.
         * @param out receives its values from index 0.
         */
        void read(int r, float[] out);
    }

    /**
     * @param dense a row-major {@code rows x cols} matrix.
     * @param rows rows.
     * @param cols columns.
     * @param block columns per block (at least 1).
     * @return its non-zero entries.
     */
    public static SparseRows of(float[] dense, int rows, int cols, int block) {
        if ((long) rows * cols != dense.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix given " + dense.length + " values");
        }
        return of(rows, cols, block, (r, out) -> System.arraycopy(dense, r * cols, out, 0, cols));
    }

    /**
     * @param rows rows.
     * @param cols columns.
     * @param block columns per block (at least 1).
     * @param reader the matrix, one row at a time (each row is read twice: to count, then to fill).
     * @return its non-zero entries.
     */
    public static SparseRows of(int rows, int cols, int block, RowReader reader) {
        if (block < 1) {
            throw new IllegalArgumentException("block must be >= 1, got " + block);
        }
        int blocks = (cols + block - 1) / block;
        int[] ptr = new int[Math.toIntExact((long) blocks * rows + 1)];
        float[] row = new float[cols];
        // one pass to count each (block, row) run, one to fill
        for (int r = 0; r < rows; r++) {
            reader.read(r, row);
            for (int c = 0; c < cols; c++) {
                if (row[c] != 0f) {
                    ptr[(c / block) * rows + r + 1]++;
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
            reader.read(r, row);
            for (int c = 0; c < cols; c++) {
                float v = row[c];
                if (v != 0f) {
                    int q = fill[(c / block) * rows + r]++;
                    index[q] = c;
                    value[q] = v;
                }
            }
        }
        return new SparseRows(rows, cols, block, ptr, index, value);
    }

    /**
     * @param a a sparse matrix's entries in any order (no two at the same position).
     * @return its entries by rows in one column block (a wide matrix such as a graph's adjacency,
     *         whose dense factor does not fit in cache whatever the blocks), columns ascending.
     */
    public static SparseRows of(org.crane.graph.CooMatrix a) {
        int rows = a.rows();
        int nnz = a.nnz();
        // counting sorts: by column, then (stably) by row, so each row's columns come out ascending
        int[] byCol = order(a.col(), a.cols(), null, nnz);
        int[] byRow = order(a.row(), rows, byCol, nnz);
        int[] ptr = new int[rows + 1];
        for (int e = 0; e < nnz; e++) {
            ptr[a.row()[e] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            ptr[r + 1] += ptr[r];
        }
        int[] index = new int[nnz];
        float[] value = new float[nnz];
        for (int q = 0; q < nnz; q++) {
            index[q] = a.col()[byRow[q]];
            value[q] = a.value()[byRow[q]];
        }
        return new SparseRows(rows, a.cols(), Math.max(1, a.cols()), ptr, index, value);
    }

    /** Entry numbers sorted stably by {@code key} (0 .. range - 1), taken in the order {@code in} (or 0 .. n - 1). */
    private static int[] order(int[] key, int range, int[] in, int n) {
        int[] start = new int[range + 1];
        for (int e = 0; e < n; e++) {
            start[key[e] + 1]++;
        }
        for (int k = 0; k < range; k++) {
            start[k + 1] += start[k];
        }
        int[] out = new int[n];
        for (int q = 0; q < n; q++) {
            int e = in == null ? q : in[q];
            out[start[key[e]]++] = e;
        }
        return out;
    }

    @Override
    public String toString() {
        return "SparseRows[" + rows + " x " + cols + ", " + value.length + " non-zeros, block " + block + "]";
    }
}
