package org.crane.graph;

import java.io.Serializable;

/**
 * A sparse matrix {@code diag(left) B diag(right)} with B binary in coordinate form: entry k of B
 * is 1 at {@code (row[k], col[k])}. Symmetric normalisation {@code D^-1/2 A D^-1/2} has this form.
 * @param rows number of rows.
 * @param cols number of columns.
 * @param row row index per entry.
 * @param col column index per entry.
 * @param left row scale, length rows.
 * @param right column scale, length cols.
 */
public record ScaledCoo(int rows, int cols, int[] row, int[] col, float[] left, float[] right) implements Serializable {

    /** Validates. */
    public ScaledCoo {
        if (row.length != col.length || left.length != rows || right.length != cols) {
            throw new IllegalArgumentException("Inconsistent scaled COO: " + row.length + " rows, " + col.length + " cols, scales "
                    + left.length + "/" + right.length + " for " + rows + "x" + cols);
        }
    }

    /** @return the number of stored entries. */
    public int nnz() {
        return row.length;
    }

    /** @return the same matrix with explicit values. */
    public CooMatrix toCoo() {
        float[] v = new float[row.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = left[row[k]] * right[col[k]];
        }
        return new CooMatrix(rows, cols, row, col, v);
    }
}
