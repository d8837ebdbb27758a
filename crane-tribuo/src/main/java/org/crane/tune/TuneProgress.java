package org.crane.tune;

/**
 * Where a search stands after a run (one point, one seed, one rung) ends.
 *
 * @param runsDone runs finished, those found finished by a resumed search included.
 * @param runsPlanned runs the schedule plans in all.
 * @param rung the rung being trained (0-based; the last is full training).
 * @param bestTrial the best trial so far (0-based index into the points; -1 when none is complete at a rung yet).
 * @param bestMean its mean validation score at the highest rung complete for it.
 * @param elapsedSeconds since the search started (this process).
 * @param etaSeconds an estimate of the seconds left (NaN before any run has been timed).
 */
public record TuneProgress(int runsDone, int runsPlanned, int rung, int bestTrial, double bestMean, double elapsedSeconds,
                           double etaSeconds) {
    /** Hears about progress; called from the search's worker threads, one call at a time. */
    @FunctionalInterface
    public interface Listener {
        /** @param progress where the search stands. */
        void update(TuneProgress progress);

        /** Ignores progress. */
        Listener NONE = p -> { };
    }
}
