package org.crane.model;

import org.crane.onnx.Tensor;

/**
 * One term of the training objective over a minibatch. The network adds its terms in list order,
 * each times its weight ({@link LossTerms#defaults()} gives CRANE's: fused BPR, the L2 penalty, the
 * behaviour view's own BPR under residual coupling, InfoNCE); a new term is one more implementation.
 */
public interface LossTerm {
    /** A term's scalar over the batch and its weight in the objective (1: added as it is). */
    record Weighted(Tensor value, float weight) {
    }

    /** @return the term's name; {@code bpr} and {@code cl} are also outputs of the training graph. */
    String name();

    /**
     * @param v what the network computed for the batch.
     * @return the term, or null when it does not apply to this network (e.g. InfoNCE without modalities).
     */
    Weighted build(BatchViews v);
}
