package org.crane.cli;

import org.crane.model.CraneConfig;

/**
 * Floating-point operations of one CRANE training step (forward, loss and every gradient), counted
 * from the shapes the way benchmarks count them: a multiply-add is 2 FLOPs; dense products cost
 * 3x their forward (forward, gradient of the input, gradient of the weight) except the
 * projection of frozen raw features, which needs no input gradient (2x); a sparse product costs
 * 2x (forward and the transposed product); element-wise work is ignored. Used to report achieved
 * GFLOP/s, and to predict speed-ups from a device's throughput.
 */
public final class StepFlops {
    private StepFlops() {
    }

    /**
     * @param cfg the network configuration.
     * @param users M.
     * @param items N.
     * @param modalityDims D_m per modality (empty for LightGCN).
     * @param adjacencyNonZeros non-zeros of the (pruned) normalised user-item adjacency, both halves.
     * @param itemGraphNonZeros non-zeros of the item-item graph S.
     * @param profileNonZeros non-zeros of the rows of R the step multiplies: the batch's users' training
     *        interactions (profiles are computed per batch), or all of them.
     * @param batch triples per step.
     * @param contrastiveUsers distinct users of a batch (contrastive loss).
     * @param contrastiveItems distinct positive items of a batch.
     * @return FLOPs of one step.
     */
    public static double trainingStep(CraneConfig cfg, int users, int items, int[] modalityDims, long adjacencyNonZeros,
                                      long itemGraphNonZeros, long profileNonZeros, int batch, int contrastiveUsers,
                                      int contrastiveItems) {
        double d = cfg.embeddingSize();
        double n = items;
        int k = modalityDims.length;
        double projection = 0;
        double dense = 0;
        double sparse = 2.0 * adjacencyNonZeros * d * cfg.userItemLayers();
        if (k > 0) {
            for (int dim : modalityDims) {
                projection += 2 * n * dim * d;
            }
            double t = cfg.tokens();
            double dt = d / t;
            double perRecursion = 2 * n * (k * d) * d; // joint representation
            perRecursion += k * (2 * n * t * dt * dt      // X A
                    + 2 * n * t * t * dt                    // (X A) J^T
                    + 2 * n * t * t * dt                    // softmax(C) J
                    + 2 * 2 * n * t * dt * dt               // X B, (.) G
                    + 2 * n * d * d);                       // O
            dense += cfg.recursions() * perRecursion + 2 * n * (k * d) * d; // + W_Z
            sparse += 2.0 * itemGraphNonZeros * d * cfg.itemGraphLayers();
            if (cfg.userProfiles()) {
                sparse += 2.0 * profileNonZeros * d;
            }
            if (cfg.contrastiveWeight() > 0) {
                dense += 2.0 * contrastiveItems * contrastiveItems * d;
                if (cfg.userProfiles()) {
                    dense += 2.0 * contrastiveUsers * contrastiveUsers * d;
                }
            }
        }
        dense += 2.0 * 2 * batch * d; // BPR dot products
        return 2 * projection + 3 * dense + 2 * sparse;
    }
}
