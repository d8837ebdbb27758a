package org.crane.data;

import java.io.Serializable;

/**
 * One item modality: a dense row-major float32 matrix whose row i holds the features of item i.
 * Immutable by convention (the array is shared, never written after construction).
 */
public final class FeatureMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int rows;
    private final int cols;
    private final float[] values;

    /**
     * @param name the modality name (e.g. "image", "text", "audio").
     * @param rows number of items.
     * @param cols feature dimension.
     * @param values row-major values, length rows * cols, all finite.
     */
    public FeatureMatrix(String name, int rows, int cols, float[] values) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A modality needs a non-blank name");
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("Modality '" + name + "' has shape (" + rows + ", " + cols + "); both must be positive");
        }
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("Modality '" + name + "' has " + values.length + " values, shape ("
                    + rows + ", " + cols + ") needs " + (long) rows * cols);
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    /** @return the modality name. */
    public String name() {
        return name;
    }

    /** @return the number of rows (items). */
    public int rows() {
        return rows;
    }

    /** @return the feature dimension. */
    public int cols() {
        return cols;
    }

    /** @return the row-major values (shared; do not modify). */
    public float[] values() {
        return values;
    }

    /**
     * @param r a row.
     * @param c a column.
     * @return the value.
     */
    public float get(int r, int c) {
        return values[r * cols + c];
    }

    /**
     * @param newName another name.
     * @return the same data under another name.
     */
    public FeatureMatrix withName(String newName) {
        return new FeatureMatrix(newName, rows, cols, values);
    }

    /**
     * Finds the first non-finite value.
     * @return {row, col} 0-based, or null when all values are finite.
     */
    public int[] firstNonFinite() {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return new int[]{i / cols, i % cols};
            }
        }
        return null;
    }

    /**
     * @return the values of the transpose (cols x rows, row-major), computed in cache-sized blocks.
     */
    public float[] transposedValues() {
        float[] t = new float[values.length];
        int block = 64;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int c0 = 0; c0 < cols; c0 += block) {
                int c1 = Math.min(cols, c0 + block);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = values[r * cols + c];
                    }
                }
            }
        }
        return t;
    }
}
