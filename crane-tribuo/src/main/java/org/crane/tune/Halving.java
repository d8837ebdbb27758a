package org.crane.tune;

import java.util.List;

/**
 * Successive halving: every point is trained to the first rung's epoch budget, the better
 * {@code 1/eta} of them (by mean validation score over seeds) go on to the next rung's budget, and so
 * on; the last rung is full training (the trainer's own {@code maxEpochs} and early stopping). A run
 * promoted to the next rung continues from its checkpoint, so its epochs are not trained twice.
 * Jamieson and Talwalkar, "Non-stochastic best arm identification and hyperparameter optimization",
 * AISTATS 2016; Li et al., "Hyperband", JMLR 2018.
 *
 * @param rungEpochs the epoch budgets before full training, rising (empty: every point is trained in full).
 * @param eta the reduction factor: a rung keeps the best ceil(n / eta) of its n points.
 */
public record Halving(List<Integer> rungEpochs, int eta) {
    /** No halving: every point trained in full. */
    public static final Halving NONE = new Halving(List.of(), 2);

    /**
     * @param rungEpochs rising epoch budgets, each >= 1.
     * @param eta >= 2.
     */
    public Halving {
        rungEpochs = List.copyOf(rungEpochs);
        if (eta < 2) {
            throw new IllegalArgumentException("halving: eta must be >= 2, got " + eta);
        }
        for (int k = 0; k < rungEpochs.size(); k++) {
            if (rungEpochs.get(k) < 1 || k > 0 && rungEpochs.get(k) <= rungEpochs.get(k - 1)) {
                throw new IllegalArgumentException("halving: rung epochs must be >= 1 and rising, got " + rungEpochs);
            }
        }
    }

    /** @return how many rungs, the full-training one included. */
    public int rungs() {
        return rungEpochs.size() + 1;
    }

    /**
     * @param rung a rung.
     * @param maxEpochs the trainer's own epoch budget.
     * @return the epoch budget of a run at this rung.
     */
    public int epochs(int rung, int maxEpochs) {
        return rung < rungEpochs.size() ? Math.min(rungEpochs.get(rung), maxEpochs) : maxEpochs;
    }

    /**
     * @param n points at a rung.
     * @return how many of them go on to the next.
     */
    public int keep(int n) {
        return Math.max(1, (n + eta - 1) / eta);
    }

    /**
     * @param points points at the first rung.
     * @return points trained at each rung.
     */
    public int[] pointsPerRung(int points) {
        int[] n = new int[rungs()];
        n[0] = points;
        for (int r = 1; r < n.length; r++) {
            n[r] = keep(n[r - 1]);
        }
        return n;
    }

    @Override
    public String toString() {
        return rungEpochs.isEmpty() ? "none (every point trained in full)"
                : "successive halving: rungs at " + rungEpochs + " epochs then full training, best 1/" + eta + " kept at each";
    }
}
