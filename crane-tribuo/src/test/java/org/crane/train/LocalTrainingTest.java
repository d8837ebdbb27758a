package org.crane.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with local steps (historyRefreshSteps): what it chooses, trains and records. */
class LocalTrainingTest {
    private static CraneTrainerBuilder small() {
        return new CraneTrainer.Builder().itemFeatures(DemoFixture.get().data.features()).maxEpochs(4).embeddingSize(16)
                .batchSize(512).logEvery(100);
    }

    private static int recorded(CraneModel m) {
        return Integer.parseInt(m.getProvenance().getInstanceProvenance().getMap().get("history-refresh-steps").toString());
    }

    @Test
    void refreshingEveryStepIsExactTrainingAndLocalStepsTrainClose() {
        DemoFixture f = DemoFixture.get();
        CraneModel exact = small().build().train(f.train, f.valid);
        CraneModel every = small().historyRefreshSteps(1).build().train(f.train, f.valid);
        CraneModel local = small().historyRefreshSteps(4).build().train(f.train, f.valid);
        assertEquals(1, recorded(exact), "exact by default at this size");
        assertEquals(1, recorded(every));
        assertEquals(4, recorded(local));
        assertArrayEquals(exact.getItemEmbeddings(), every.getItemEmbeddings(), "S = 1 is the exact run, bit for bit");
        assertFalse(java.util.Arrays.equals(exact.getItemEmbeddings(), local.getItemEmbeddings()), "local steps take other gradients");
        double re = exact.getHistory().get(exact.getHistory().size() - 1).validRecall20();
        double rs = local.getHistory().get(local.getHistory().size() - 1).validRecall20();
        assertTrue(rs > 0.9 * re, "local steps train: valid Recall@20 " + rs + " against exact " + re);
    }

    @Test
    void theIntervalIsCheckedAndAutoChoosesByTheInteractions() {
        CraneTrainer auto = small().build();
        assertEquals(0, auto.historyRefreshSteps(), "auto by default");
        assertEquals(1, auto.historyRefreshSteps(CraneTrainer.LOCAL_FROM_INTERACTIONS - 1, true), "exact below the threshold");
        assertEquals(CraneTrainer.LOCAL_REFRESH, auto.historyRefreshSteps(CraneTrainer.LOCAL_FROM_INTERACTIONS, true));
        assertEquals(1, auto.historyRefreshSteps(CraneTrainer.LOCAL_FROM_INTERACTIONS, false), "local steps need modalities");
        assertEquals(7, small().historyRefreshSteps(7).build().historyRefreshSteps(10, true), "a set interval is kept");
        assertTrue(assertThrowsIae(() -> small().historyRefreshSteps(-1).build()).contains("historyRefreshSteps"));
    }

    private static String assertThrowsIae(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
