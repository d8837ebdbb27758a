package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

/**
 * A sparse matrix fed to the graph as three COO inputs ({@code <name>_rows}, {@code <name>_cols}
 * int64 [nnz], {@code <name>_vals} float [nnz, 1]), multiplied by dense values with gather, scale
 * and scatter-add: {@code (A X)[r] = sum over entries (r, c, v) of v X[c]}. The backward pass of
 * this product is {@code A^T dY}, which the program derives by itself.
 */
public final class SparseInput {
    private final Tensor rows;
    private final Tensor cols;
    private final Tensor vals;
    private final Tensor nRows;

    /**
     * @param p the program.
     * @param name the input name prefix.
     * @param numRows the matrix's row count.
     */
    public SparseInput(Program p, String name, long numRows) {
        this.rows = p.input(name + "_rows", DType.INT64, -1);
        this.cols = p.input(name + "_cols", DType.INT64, -1);
        this.vals = p.input(name + "_vals", DType.FLOAT, -1, 1);
        this.nRows = p.rows(numRows);
    }

    /**
     * @param x dense values, one row per column of the matrix.
     * @return A x.
     */
    public Tensor times(Tensor x) {
        return x.program().scatterAddRows(rows, x.gatherRows(cols).mul(vals), nRows);
    }
}
