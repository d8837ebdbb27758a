package org.crane.cli;

import org.crane.model.CraneConfig;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepFlopsTest {
    @Test
    void lightGcnCountIsTheSparsePropagationPlusBprAndModalitiesAddTheProjection() {
        CraneConfig lightGcn = new CraneConfig(64, 2, 4, false, true, 2, 1, 0.2f, 0.01f, 1e-4f, false);
        double lg = StepFlops.trainingStep(lightGcn, 100, 50, new int[0], 1000, 0, 500, 32, 32, 32);
        // 2 layers x 2 FLOPs x nnz x d, forward and transposed backward; BPR 2 x 2 x B x d, 3x
        assertEquals(2 * (2.0 * 1000 * 64 * 2) + 3 * (2.0 * 2 * 32 * 64), lg, 1e-6);
        double crane = StepFlops.trainingStep(lightGcn, 100, 50, new int[]{4096}, 1000, 500, 500, 32, 32, 32);
        assertTrue(crane - lg >= 2 * (2.0 * 50 * 4096 * 64), "the frozen projection costs forward and weight gradient");
    }
}
