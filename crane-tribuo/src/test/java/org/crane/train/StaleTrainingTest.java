package org.crane.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with stale semantic views (semanticRefreshSteps): what it chooses, trains and records. */
class StaleTrainingTest {
    private static CraneTrainerBuilder small() {
        return new CraneTrainer.Builder().itemFeatures(DemoFixture.get().data.features()).maxEpochs(4).embeddingSize(16)
                .batchSize(512).logEvery(100);
    }

    private static int recorded(CraneModel m) {
        return Integer.parseInt(m.getProvenance().getInstanceProvenance().getMap().get("semantic-refresh-steps").toString());
    }

    @Test
    void refreshingEveryStepIsExactTrainingAndStaleStepsTrainClose() {
        DemoFixture f = DemoFixture.get();
        CraneModel exact = small().build().train(f.train, f.valid);
        CraneModel every = small().semanticRefreshSteps(1).build().train(f.train, f.valid);
        CraneModel stale = small().semanticRefreshSteps(4).build().train(f.train, f.valid);
        assertEquals(1, recorded(exact), "exact by default");
        assertEquals(1, recorded(every));
        assertEquals(4, recorded(stale));
        assertArrayEquals(exact.getItemEmbeddings(), every.getItemEmbeddings(), "S = 1 is the exact run, bit for bit");
        assertFalse(java.util.Arrays.equals(exact.getItemEmbeddings(), stale.getItemEmbeddings()), "stale steps take other gradients");
        double re = exact.getHistory().get(exact.getHistory().size() - 1).validRecall20();
        double rs = stale.getHistory().get(stale.getHistory().size() - 1).validRecall20();
        assertTrue(rs > 0.9 * re, "stale views train: valid Recall@20 " + rs + " against exact " + re);
    }

    @Test
    void theIntervalIsCheckedAndExactIsTheDefault() {
        assertEquals(1, small().build().semanticRefreshSteps());
        assertTrue(assertThrowsIae(() -> small().semanticRefreshSteps(0).build()).contains("semanticRefreshSteps"));
    }

    private static String assertThrowsIae(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
