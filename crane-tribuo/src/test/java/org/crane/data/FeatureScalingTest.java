package org.crane.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FeatureScalingTest {
    private final FeatureMatrix m = new FeatureMatrix("x", 3, 2, new float[]{3, 4, 0, 2, 6, 0});

    @Test
    void l2RowsGiveUnitRows() {
        FeatureMatrix s = FeatureScaling.L2_ROWS.apply(m);
        assertEquals(0.6f, s.get(0, 0), 1e-6f);
        assertEquals(0.8f, s.get(0, 1), 1e-6f);
        assertEquals(1f, s.get(1, 1), 1e-6f);
        assertEquals(1f, s.get(2, 0), 1e-6f);
    }

    @Test
    void standardizeGivesZeroMeanUnitSdColumns() {
        FeatureMatrix s = FeatureScaling.STANDARDIZE.apply(m);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            double sq = 0;
            for (int r = 0; r < 3; r++) {
                mean += s.get(r, c);
                sq += s.get(r, c) * s.get(r, c);
            }
            assertEquals(0, mean / 3, 1e-6);
            assertEquals(1, sq / 3, 1e-5);
        }
    }

    @Test
    void noneIsIdentity() {
        assertSame(m, FeatureScaling.NONE.apply(m));
    }

    /** The row-at-a-time view training reads gives the stored values, bit for bit, and their density. */
    @Test
    void scaledRowsAreTheStoredValues() {
        for (FeatureScaling scaling : FeatureScaling.values()) {
            FeatureMatrix stored = scaling.apply(m);
            ScaledFeatures view = ScaledFeatures.of(m, scaling);
            float[] row = new float[2];
            int nonZeros = 0;
            for (int r = 0; r < 3; r++) {
                view.row(r, row);
                for (int c = 0; c < 2; c++) {
                    assertEquals(Float.floatToIntBits(stored.get(r, c)), Float.floatToIntBits(row[c]), scaling + " at " + r + "," + c);
                    nonZeros += row[c] != 0f ? 1 : 0;
                }
            }
            assertEquals(nonZeros / 6.0, view.density(), 1e-12, scaling.toString());
        }
        assertEquals(4 / 6.0, ScaledFeatures.of(m, FeatureScaling.L2_ROWS).density(), 1e-12);
    }
}
