package org.crane.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ScaleCurves}: training goes on while any scale's curve still improves. */
class ScaleCurvesTest {
    @Test
    void aSlowBehaviourCurveKeepsTrainingAliveAfterAFastFusedCurvePeaked() {
        // curve 1 (fused) peaks at epoch 3 and declines; curve 0 (behaviour alone) rises slowly until epoch 30
        ScaleCurves c = new ScaleCurves(2);
        int patience = 5;
        int stoppedAt = -1;
        double bestOverall = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= 100 && stoppedAt < 0; epoch++) {
            double fused = epoch <= 3 ? 0.2 * epoch : 0.6 - 0.01 * (epoch - 3);
            double behaviour = Math.min(0.7, 0.02 * epoch + 0.1);
            c.record(0, behaviour);
            c.record(1, fused);
            double top = Math.max(behaviour, fused);
            if (top > bestOverall) {
                bestOverall = top;
                bestEpoch = epoch;
            }
            if (c.exhausted(patience)) {
                stoppedAt = epoch;
            }
        }
        // the overall best stalls between epochs 3 and 25 (0.6 until the behaviour curve passes it); a rule on the
        // overall best alone would have stopped at epoch 8
        assertEquals(30, bestEpoch, "the behaviour curve's peak (0.7 from epoch 30) is reached");
        assertEquals(30 + patience, stoppedAt);
        assertEquals(0.7, bestOverall, 1e-12);
    }

    @Test
    void everyCurveMustStallAndTheStateRoundTrips() {
        ScaleCurves c = new ScaleCurves(3);
        c.record(0, 0.5);
        c.record(1, 0.4);
        c.record(2, 0.3);
        for (int e = 0; e < 4; e++) {
            c.record(0, 0.1);
            c.record(1, 0.1);
            c.record(2, 0.31 + e * 0.01);
        }
        assertFalse(c.exhausted(2), "curve 2 still improves");
        ScaleCurves copy = new ScaleCurves(c.best(), c.since());
        assertArrayEquals(c.best(), copy.best());
        assertArrayEquals(c.since(), copy.since());
        for (int e = 0; e < 2; e++) {
            copy.record(0, 0);
            copy.record(1, 0);
            copy.record(2, 0);
        }
        assertTrue(copy.exhausted(2));
        assertEquals(2, copy.epochsSinceAnyImproved());
    }
}
