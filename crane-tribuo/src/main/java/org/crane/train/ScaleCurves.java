package org.crane.train;

import java.util.Arrays;

/**
 * Early stopping over several validation curves, one per semantic scale: each curve keeps its own
 * best value and the epochs since it; training is over only when every curve has gone
 * {@code patience} epochs without a better value of its own. The behaviour view alone (scale 0) is
 * LightGCN's model epoch for epoch, so it gets LightGCN's whole run even when a fused curve peaked
 * early, and the best (epoch, scale) is never below LightGCN's best.
 */
final class ScaleCurves {
    private final double[] best;
    private final int[] since;

    /** @param scales the number of curves. */
    ScaleCurves(int scales) {
        this.best = new double[scales];
        this.since = new int[scales];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
    }

    /**
     * Restores a checkpointed state.
     * @param best each curve's best value.
     * @param since epochs since each curve's best.
     */
    ScaleCurves(double[] best, int[] since) {
        if (best.length != since.length) {
            throw new IllegalArgumentException(best.length + " bests but " + since.length + " counters");
        }
        this.best = best.clone();
        this.since = since.clone();
    }

    /**
     * @param curve a curve's index.
     * @param value its value at this epoch.
     */
    void record(int curve, double value) {
        if (value > best[curve]) {
            best[curve] = value;
            since[curve] = 0;
        } else {
            since[curve]++;
        }
    }

    /**
     * @param patience epochs a curve may go without improving.
     * @return whether every curve has gone that long.
     */
    boolean exhausted(int patience) {
        return epochsSinceAnyImproved() >= patience;
    }

    /** @return the fewest epochs since any curve improved. */
    int epochsSinceAnyImproved() {
        return Arrays.stream(since).min().orElse(0);
    }

    /** @return each curve's best value (a copy). */
    double[] best() {
        return best.clone();
    }

    /** @return epochs since each curve's best (a copy). */
    int[] since() {
        return since.clone();
    }
}
