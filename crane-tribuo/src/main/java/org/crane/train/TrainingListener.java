package org.crane.train;

import org.crane.train.CraneModel;

/** Hears about training progress, e.g. to draw a progress bar; called on the training thread. */
public interface TrainingListener {
    /**
     * After every epoch (and its validation).
     * @param epoch what the epoch did.
     * @param maxEpochs the epoch budget.
     * @param bestEpoch the best validation epoch so far (0 without validation).
     */
    void epochEnded(CraneModel.EpochRecord epoch, int maxEpochs, int bestEpoch);

    /** A listener that does nothing. */
    TrainingListener NONE = (e, max, best) -> { };
}
