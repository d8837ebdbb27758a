package org.crane.graph;

import java.io.Serializable;

/**
 * A sparse matrix as coordinate triples: entry k is {@code (row[k], col[k], value[k])}. Duplicate
 * coordinates add up. Immutable by convention.
 * @param rows number of rows.
 * @param cols number of columns.
 * @param row row index per entry.
 * @param col column index per entry.
 * @param value value per entry.
 */
public record CooMatrix(int rows, int cols, int[] row, int[] col, float[] value) implements Serializable {

    /** Validates lengths and ranges. */
    public CooMatrix {
        if (row.length != col.length || row.length != value.length) {
            throw new IllegalArgumentException("COO arrays differ in length: " + row.length + ", " + col.length + ", " + value.length);
        }
        for (int k = 0; k < row.length; k++) {
            if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException("Entry " + k + " at (" + row[k] + ", " + col[k] + ") outside " + rows + " x " + cols);
            }
        }
    }

    /** @return the number of stored entries. */
    public int nnz() {
        return row.length;
    }

    /**
     * Dense product {@code this * x} in plain Java (for tests and small work).
     * @param x row-major (cols x d).
     * @param d columns of x.
     * @return row-major (rows x d).
     */
    public float[] multiply(float[] x, int d) {
        float[] y = new float[rows * d];
        for (int k = 0; k < row.length; k++) {
            int yo = row[k] * d;
            int xo = col[k] * d;
            float v = value[k];
            for (int c = 0; c < d; c++) {
                y[yo + c] += v * x[xo + c];
            }
        }
        return y;
    }

    /**
     * @param alpha a factor.
     * @return this matrix with every value scaled.
     */
    public CooMatrix scale(float alpha) {
        float[] v = value.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] *= alpha;
        }
        return new CooMatrix(rows, cols, row, col, v);
    }

    /**
     * @param other a matrix of the same size.
     * @return the sum (entries concatenated; duplicates add up when used).
     */
    public CooMatrix plus(CooMatrix other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("Cannot add " + rows + "x" + cols + " and " + other.rows + "x" + other.cols);
        }
        int n = nnz();
        int[] r = java.util.Arrays.copyOf(row, n + other.nnz());
        int[] c = java.util.Arrays.copyOf(col, n + other.nnz());
        float[] v = java.util.Arrays.copyOf(value, n + other.nnz());
        System.arraycopy(other.row, 0, r, n, other.nnz());
        System.arraycopy(other.col, 0, c, n, other.nnz());
        System.arraycopy(other.value, 0, v, n, other.nnz());
        return new CooMatrix(rows, cols, r, c, v);
    }
}
