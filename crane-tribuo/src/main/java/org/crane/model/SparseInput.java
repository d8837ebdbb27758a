package org.crane.model;

import org.crane.graph.NeighbourLists;
import org.crane.onnx.DType;
import org.crane.onnx.NeighbourInputs;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

/**
 * A sparse matrix fed to the graph and multiplied by dense values; the backward pass
 * ({@code A^T dY}) is derived by the program itself. Two forms:
 * <ul>
 *   <li>valued, as COO: {@code <name>_rows}, {@code <name>_cols} int64 [nnz], {@code <name>_vals}
 *       float [nnz, 1]; {@code (A X)[r] = sum over entries (r, c, v) of v X[c]}, by gather and
 *       scatter-add (for small matrices: a batch's user profiles);</li>
 *   <li>scaled binary: {@code A = diag(left) B diag(right)} with B binary, as B's padded neighbour
 *       lists and its transpose's ({@link org.crane.graph.NeighbourLists}, fed by
 *       {@link org.crane.engine.Tensors#scaled}), {@code <name>_left} [rows, 1] and
 *       {@code <name>_right} [cols, 1]. Symmetric normalisation {@code D^-1/2 A D^-1/2} has this
 *       form. The product needs no nnz x d multiply and no scatter-add: gathers and sums that run
 *       on every intra-op thread (Baby's 239k-entry graph: 18-20 ms against 23-29 ms).</li>
 * </ul>
 */
public final class SparseInput {
    private final Tensor rows;
    private final Tensor cols;
    private final Tensor vals;
    private final NeighbourInputs lists;
    private final NeighbourInputs transposed;
    private final Tensor left;
    private final Tensor right;
    private final Tensor nRows;

    private SparseInput(Program p, String name, long numRows, long numCols, boolean scaled, Tensor nRows) {
        this.rows = scaled ? null : p.input(name + "_rows", DType.INT64, -1);
        this.cols = scaled ? null : p.input(name + "_cols", DType.INT64, -1);
        this.vals = scaled ? null : p.input(name + "_vals", DType.FLOAT, -1, 1);
        this.lists = scaled ? NeighbourInputs.declare(p, name + "_", numRows, NeighbourLists.BUCKETS) : null;
        this.transposed = scaled ? NeighbourInputs.declare(p, name + "_t", numCols, NeighbourLists.BUCKETS) : null;
        this.left = scaled ? p.input(name + "_left", DType.FLOAT, numRows, 1) : null;
        this.right = scaled ? p.input(name + "_right", DType.FLOAT, numCols, 1) : null;
        this.nRows = scaled ? null : nRows != null ? nRows : p.rows(numRows);
    }

    /**
     * @param p the program.
     * @param name the input name prefix.
     * @param numRows the matrix's row count.
     * @return a valued COO input.
     */
    public static SparseInput valued(Program p, String name, long numRows) {
        return new SparseInput(p, name, numRows, -1, false, null);
    }

    /**
     * @param p the program.
     * @param name the input name prefix.
     * @param numRows the row count, known only when the graph runs (an int64 vector of length 1).
     * @return a valued COO input.
     */
    public static SparseInput valued(Program p, String name, Tensor numRows) {
        return new SparseInput(p, name, -1, -1, false, numRows);
    }

    /**
     * @param p the program.
     * @param name the input name prefix.
     * @param numRows the row count.
     * @param numCols the column count.
     * @return a scaled-binary COO input.
     */
    public static SparseInput scaled(Program p, String name, long numRows, long numCols) {
        return new SparseInput(p, name, numRows, numCols, true, null);
    }

    /**
     * @param x dense values, one row per column of the matrix.
     * @return A x.
     */
    public Tensor times(Tensor x) {
        Program p = x.program();
        if (vals != null) {
            return p.scatterAddRows(rows, x.gatherRows(cols).mul(vals), nRows);
        }
        return p.neighbourSum(x.mul(right), lists, transposed).mul(left);
    }
}
