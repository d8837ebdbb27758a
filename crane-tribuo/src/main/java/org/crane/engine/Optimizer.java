package org.crane.engine;

import java.util.List;

/** Updates parameters in place from their gradients, one step per minibatch; its step count is saved in checkpoints. */
public interface Optimizer {
    /**
     * One update of every parameter from its gradient buffer.
     * @param params the parameters.
     */
    void step(List<Parameter> params);

    /** @return the steps taken so far. */
    long steps();

    /**
     * Restores the step count (resuming from a checkpoint, with the moments restored in the parameters).
     * @param steps the steps taken.
     */
    void setSteps(long steps);
}
