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
        return recorded(m, "history-refresh-steps");
    }

    private static int recorded(CraneModel m, String key) {
        return Integer.parseInt(m.getProvenance().getInstanceProvenance().getMap().get(key).toString());
    }

    private static double lastRecall(CraneModel m) {
        return m.getHistory().get(m.getHistory().size() - 1).validRecall20();
    }

    @Test
    void refreshingEveryStepIsExactTrainingAndLocalStepsTrainClose() {
        DemoFixture f = DemoFixture.get();
        CraneModel exact = small().build().train(f.train, f.valid);
        CraneModel every = small().historyRefreshSteps(1).build().train(f.train, f.valid);
        CraneModel local = small().historyRefreshSteps(4).semanticUpdateSteps(1).build().train(f.train, f.valid);
        assertEquals(1, recorded(exact), "exact by default at this size");
        assertEquals(1, recorded(every));
        assertEquals(4, recorded(local));
        assertEquals(1, recorded(local, "semantic-update-steps"));
        assertArrayEquals(exact.getItemEmbeddings(), every.getItemEmbeddings(), "S = 1 is the exact run, bit for bit");
        assertFalse(java.util.Arrays.equals(exact.getItemEmbeddings(), local.getItemEmbeddings()), "local steps take other gradients");
        double re = exact.getHistory().get(exact.getHistory().size() - 1).validRecall20();
        double rs = local.getHistory().get(local.getHistory().size() - 1).validRecall20();
        assertTrue(rs > 0.9 * re, "local steps train: valid Recall@20 " + rs + " against exact " + re);
    }

    @Test
    void aCachedSemanticViewUpdatedEveryStepTrainsTheLocalModelAndLongerIntervalsTrainClose(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        DemoFixture f = DemoFixture.get();
        CraneModel local = small().historyRefreshSteps(4).semanticUpdateSteps(1).build().train(f.train, f.valid);
        CraneModel cached = small().historyRefreshSteps(4).semanticUpdateSteps(4).build().train(f.train, f.valid);
        assertEquals(4, recorded(cached, "semantic-update-steps"));
        assertFalse(java.util.Arrays.equals(local.getItemEmbeddings(), cached.getItemEmbeddings()), "fewer semantic updates");
        assertTrue(lastRecall(cached) > 0.9 * lastRecall(local), "a cached semantic view trains: valid Recall@20 " + lastRecall(cached)
                + " against " + lastRecall(local));

        // a run resumed from an epoch's checkpoint takes the same steps (the semantic optimiser's count included)
        java.nio.file.Path ckpt = dir.resolve("run.ckpt");
        small().maxEpochs(3).historyRefreshSteps(4).semanticUpdateSteps(3).build().train(f.train, f.valid, java.util.Map.of(),
                TrainingListener.NONE, Checkpointing.every(2, ckpt));
        CraneModel resumed = small().historyRefreshSteps(4).semanticUpdateSteps(3).build().train(f.train, f.valid, java.util.Map.of(),
                TrainingListener.NONE, Checkpointing.NONE.resumingFrom(TrainingCheckpoint.load(ckpt)));
        CraneModel straight = small().historyRefreshSteps(4).semanticUpdateSteps(3).build().train(f.train, f.valid);
        assertArrayEquals(straight.getUserEmbeddings(), resumed.getUserEmbeddings());
        assertArrayEquals(straight.getItemEmbeddings(), resumed.getItemEmbeddings());
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
        assertEquals(4, auto.semanticUpdateSteps(CraneTrainer.LOCAL_FROM_INTERACTIONS, 2000, true), "auto: ceil(items / batch)");
        assertEquals(1, auto.semanticUpdateSteps(CraneTrainer.LOCAL_FROM_INTERACTIONS, 300, true), "a catalogue within a batch");
        assertEquals(1, auto.semanticUpdateSteps(10, 2000, true), "every step with exact steps");
        assertEquals(3, small().historyRefreshSteps(7).semanticUpdateSteps(3).build().semanticUpdateSteps(10, 2000, true));
        assertTrue(assertThrowsIae(() -> small().semanticUpdateSteps(3).build().semanticUpdateSteps(10, 2000, true))
                .contains("needs local steps"));
        assertEquals(1, small().semanticUpdateSteps(3).build().semanticUpdateSteps(10, 2000, false), "LightGCN has no semantic view");
        assertTrue(assertThrowsIae(() -> small().semanticUpdateSteps(-2).build()).contains("semanticUpdateSteps"));
    }

    private static String assertThrowsIae(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
