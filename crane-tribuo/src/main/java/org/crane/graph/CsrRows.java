package org.crane.graph;

/**
 * A sparse matrix by rows (compressed sparse row form), for reading the rows of a few nodes at a
 * time: row r's entries are {@code col[offset[r] .. offset[r+1])} with {@code value} alike.
 * @param offset row starts, length rows + 1.
 * @param col column of each entry, rows in order.
 * @param value value of each entry.
 */
public record CsrRows(int[] offset, int[] col, float[] value) {

    /** Validates lengths. */
    public CsrRows {
        if (offset.length == 0 || col.length != value.length || offset[offset.length - 1] != col.length) {
            throw new IllegalArgumentException("Inconsistent CSR arrays: " + offset.length + " offsets, " + col.length + " columns, "
                    + value.length + " values");
        }
    }

    /**
     * @param a a matrix in coordinate form (entries in any order; duplicates stay separate entries).
     * @return its rows, each in the order its entries had in {@code a}.
     */
    public static CsrRows of(CooMatrix a) {
        int[] offset = new int[a.rows() + 1];
        for (int r : a.row()) {
            offset[r + 1]++;
        }
        for (int r = 0; r < a.rows(); r++) {
            offset[r + 1] += offset[r];
        }
        int[] next = java.util.Arrays.copyOf(offset, a.rows());
        int[] col = new int[a.nnz()];
        float[] value = new float[a.nnz()];
        for (int k = 0; k < a.nnz(); k++) {
            int q = next[a.row()[k]]++;
            col[q] = a.col()[k];
            value[q] = a.value()[k];
        }
        return new CsrRows(offset, col, value);
    }

    /**
     * @param r a row.
     * @return its number of entries.
     */
    public int length(int r) {
        return offset[r + 1] - offset[r];
    }
}
