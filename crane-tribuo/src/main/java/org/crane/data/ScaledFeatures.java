package org.crane.data;

/**
 * A modality as the network sees it after {@link FeatureScaling}, read one row at a time from the raw
 * values and never stored: a 63,001 x 4,096 image table is 1 GB, and a scaled copy beside the raw one
 * would be a second. Value {@code (r, c)} is {@code raw(r, c) * rowScale[r]} (L2_ROWS),
 * {@code (raw(r, c) - mean[c]) * inverseSd[c]} in double precision (STANDARDIZE) or {@code raw(r, c)}
 * (NONE): the values {@link FeatureScaling#apply} stores, bit for bit.
 */
public final class ScaledFeatures {
    private final FeatureMatrix raw;
    private final float[] rowScale;
    private final double[] mean;
    private final float[] inverseSd;

    private ScaledFeatures(FeatureMatrix raw, float[] rowScale, double[] mean, float[] inverseSd) {
        this.raw = raw;
        this.rowScale = rowScale;
        this.mean = mean;
        this.inverseSd = inverseSd;
    }

    /**
     * @param raw a modality.
     * @param scaling how it is scaled.
     * @return the scaled view (the per-row or per-column factors are computed here, once).
     */
    public static ScaledFeatures of(FeatureMatrix raw, FeatureScaling scaling) {
        int r = raw.rows();
        int c = raw.cols();
        float[] in = raw.values();
        switch (scaling) {
            case NONE:
                return new ScaledFeatures(raw, null, null, null);
            case L2_ROWS:
                return new ScaledFeatures(raw, FeatureScaling.inverseRowNorms(in, r, c), null, null);
            default:
                double[] mean = new double[c];
                float[] inv = new float[c];
                for (int j = 0; j < c; j++) {
                    double m = 0;
                    for (int i = 0; i < r; i++) {
                        m += in[i * c + j];
                    }
                    m /= r;
                    double var = 0;
                    for (int i = 0; i < r; i++) {
                        double dlt = in[i * c + j] - m;
                        var += dlt * dlt;
                    }
                    double sd = Math.sqrt(var / r);
                    mean[j] = m;
                    inv[j] = sd > 0 ? (float) (1 / sd) : 0f;
                }
                return new ScaledFeatures(raw, null, mean, inv);
        }
    }

    /** @return the modality's name. */
    public String name() {
        return raw.name();
    }

    /** @return items. */
    public int rows() {
        return raw.rows();
    }

    /** @return features per item. */
    public int cols() {
        return raw.cols();
    }

    /**
     * @param r a row.
     * @param out receives its {@link #cols()} scaled values from index 0.
     */
    public void row(int r, float[] out) {
        int c = raw.cols();
        float[] in = raw.values();
        int base = r * c;
        if (rowScale != null) {
            float s = rowScale[r];
            for (int j = 0; j < c; j++) {
                out[j] = in[base + j] * s;
            }
        } else if (mean != null) {
            for (int j = 0; j < c; j++) {
                out[j] = (float) ((in[base + j] - mean[j]) * inverseSd[j]);
            }
        } else {
            System.arraycopy(in, base, out, 0, c);
        }
    }

    /** @return the fraction of scaled values that are not zero (0 for an empty table). */
    public double density() {
        float[] row = new float[cols()];
        long nz = 0;
        for (int r = 0; r < rows(); r++) {
            row(r, row);
            for (float v : row) {
                if (v != 0f) {
                    nz++;
                }
            }
        }
        long all = (long) rows() * cols();
        return all == 0 ? 0 : nz / (double) all;
    }

    /** @return the scaled values stored (the raw modality itself when nothing is scaled). */
    public FeatureMatrix materialise() {
        if (rowScale == null && mean == null) {
            return raw;
        }
        int c = cols();
        float[] out = new float[Math.multiplyExact(rows(), c)];
        float[] row = new float[c];
        for (int r = 0; r < rows(); r++) {
            row(r, row);
            System.arraycopy(row, 0, out, r * c, c);
        }
        return new FeatureMatrix(raw.name(), rows(), c, out);
    }
}
