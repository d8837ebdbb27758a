package org.crane.data;

/**
 * How raw modality features are scaled before the modality projection. Raw feature tables differ
 * by orders of magnitude (lfm2k: Whisper rows have L2 norm ~16.6, MiniLM rows 1.0, VGGish ~1477), so
 * unscaled, one modality dominates the joint representation. The kNN item graph always uses the
 * raw features (cosine similarity does not depend on row scale).
 */
public enum FeatureScaling {
    /** Raw features, as MMRec feeds them. */
    NONE,
    /** Each item's feature row divided by its L2 norm. */
    L2_ROWS,
    /** Each feature column standardised to mean 0, standard deviation 1 over items. */
    STANDARDIZE;

    /**
     * @param x row-major values.
     * @param rows rows.
     * @param cols columns.
     * @return {@code 1 / |x_r|} for every row (accumulated in double), 0 for an all-zero row.
     */
    public static float[] inverseRowNorms(float[] x, int rows, int cols) {
        float[] inv = new float[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = i * cols, e = j + cols; j < e; j++) {
                s += (double) x[j] * x[j];
            }
            inv[i] = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
        }
        return inv;
    }

    /**
     * @param m a modality.
     * @return the scaled modality (the same object for NONE).
     */
    public FeatureMatrix apply(FeatureMatrix m) {
        return ScaledFeatures.of(m, this).materialise();
    }
}
