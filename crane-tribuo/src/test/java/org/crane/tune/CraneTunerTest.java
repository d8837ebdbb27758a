package org.crane.tune;

import org.crane.RankingEvaluator;
import org.crane.train.CraneModel;
import org.crane.train.DemoFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CraneTunerTest {
    @Test
    void choosesThePointWithTheBestMeanValidationMetricOverSeeds() {
        DemoFixture f = DemoFixture.get();
        Map<String, String> fixed = Map.of("embeddingSize", "8", "maxEpochs", "3", "batchSize", "2048", "logEvery", "100");
        CraneTuner tuner = new CraneTuner(f.data.features(), fixed, List.of(1L, 2L), "NDCG@10");
        List<Map<String, String>> points = SearchSpace.parse(List.of("learningRate=0.0005,0.02", "userItemLayers=1,2")).grid();
        CraneTuner.Result r = tuner.search(points, f.train, f.valid);

        assertEquals(4, r.trials().size());
        for (int k = 1; k < r.trials().size(); k++) {
            assertTrue(r.trials().get(k - 1).mean() >= r.trials().get(k).mean(), "sorted by mean validation score");
        }
        assertEquals(r.trials().get(0), r.chosen());
        assertTrue(r.trials().get(0).mean() > r.trials().get(3).mean(), "the points differ: " + r.trials());
        // the scores are the chosen models' own validation NDCG@10, seed by seed
        assertEquals(2, r.models().size());
        for (int s = 0; s < 2; s++) {
            CraneModel m = r.models().get(s);
            double ndcg = new RankingEvaluator(10).evaluate(m, f.valid).getMetrics().get("NDCG@10");
            assertEquals(r.chosen().validBySeed()[s], ndcg, 1e-12);
            var fields = m.getProvenance().getTrainerProvenance().getConfiguredParameters();
            assertEquals(Float.parseFloat(r.chosen().point().get("learningRate")), value(fields.get("learningRate")),
                    "the model's provenance records the chosen point");
            assertEquals((long) (s + 1), value(fields.get("seed")));
        }
        double mean = (r.chosen().validBySeed()[0] + r.chosen().validBySeed()[1]) / 2;
        assertEquals(mean, r.chosen().mean(), 1e-12);
    }

    private static final Map<String, String> SMALL = Map.of("embeddingSize", "8", "maxEpochs", "4", "batchSize", "2048", "logEvery", "100",
            "threads", "1");

    private static List<Map<String, String>> fourPoints() {
        return SearchSpace.parse(List.of("learningRate=0.0005,0.003,0.01,0.03")).grid();
    }

    @Test
    void halvingKeepsTheBetterHalfAndPromotedRunsContinueFromTheirCheckpoints(@TempDir Path dir) throws Exception {
        DemoFixture f = DemoFixture.get();
        CraneTuner tuner = new CraneTuner(f.data.features(), SMALL, List.of(1L, 2L), "Recall@20").withHalving(new Halving(List.of(1, 2), 2));
        CraneTuner.Result files = tuner.search(fourPoints(), f.train, f.valid, Map.of(), new TrialDirectory(dir));
        // in memory there are no checkpoints: a promoted run is trained again from its first epoch, to the same model
        CraneTuner.Result memory = tuner.search(fourPoints(), f.train, f.valid);
        assertEquals(4, files.trials().size());
        for (int k = 0; k < 4; k++) {
            assertEquals(files.trials().get(k).point(), memory.trials().get(k).point());
            assertArrayEquals(files.trials().get(k).validBySeed(), memory.trials().get(k).validBySeed(), 1e-6);
        }
        int[] rungs = files.trials().stream().mapToInt(CraneTuner.Trial::rung).toArray();
        assertArrayEquals(new int[]{2, 1, 0, 0}, rungs, "4 points at 1 epoch, 2 at 2, 1 trained in full");
        assertTrue(files.chosen().full());
        // the two promoted points were the best two after one epoch
        CraneTuner oneEpoch = new CraneTuner(f.data.features(), withEpochs(1), List.of(1L, 2L), "Recall@20");
        List<CraneTuner.Trial> first = oneEpoch.search(fourPoints(), f.train, f.valid).trials();
        assertEquals(java.util.Set.of(first.get(0).point(), first.get(1).point()),
                java.util.Set.of(files.trials().get(0).point(), files.trials().get(1).point()));
        // the full run equals training that point from scratch: the continued checkpoints changed nothing
        Map<String, String> values = new java.util.HashMap<>(SMALL);
        values.putAll(files.chosen().point());
        values.put("seed", "2");
        CraneModel scratch = org.crane.train.TrainerSettings.create(f.data.features(), values).train(f.train, f.valid);
        assertEquals(files.chosen().validBySeed()[1], new RankingEvaluator(20).evaluate(scratch, f.valid).getMetrics().get("Recall@20"), 1e-6);
        // what is left: the records and the chosen point's models, no checkpoint
        try (var left = Files.list(dir)) {
            List<String> names = left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".json")).sorted().toList();
            int chosen = files.chosen().index() + 1;
            assertEquals(List.of("trial-" + chosen + "-seed-1-rung-3.model", "trial-" + chosen + "-seed-2-rung-3.model"), names);
        }
        // the same search again finds everything recorded and trains nothing
        CraneTuner.Result again = new CraneTuner(values2 -> {
            throw new AssertionError("trained again: " + values2);
        }, SMALL, List.of(1L, 2L), "Recall@20").withHalving(new Halving(List.of(1, 2), 2))
                .search(fourPoints(), f.train, f.valid, Map.of(), new TrialDirectory(dir));
        assertEquals(files.chosen().point(), again.chosen().point());
        assertArrayEquals(files.chosen().validBySeed(), again.chosen().validBySeed());
    }

    private static Map<String, String> withEpochs(int epochs) {
        Map<String, String> m = new java.util.HashMap<>(SMALL);
        m.put("maxEpochs", Integer.toString(epochs));
        return m;
    }

    @Test
    void parallelRunsGiveTheSequentialResult() {
        DemoFixture f = DemoFixture.get();
        CraneTuner one = new CraneTuner(f.data.features(), withEpochs(2), List.of(1L, 2L), "Recall@20");
        List<Integer> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CraneTuner.Result a = one.search(fourPoints(), f.train, f.valid);
        CraneTuner.Result b = one.withParallel(2).withProgress(p -> seen.add(p.runsDone())).search(fourPoints(), f.train, f.valid);
        assertEquals(a.trials().stream().map(CraneTuner.Trial::point).toList(), b.trials().stream().map(CraneTuner.Trial::point).toList());
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(a.trials().get(k).validBySeed(), b.trials().get(k).validBySeed(), 1e-9);
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), seen, "one progress report per run, in order");
    }

    @Test
    void whenTheBudgetEndsTheChoiceIsMadeAtTheFurthestRungEveryPointCompleted() {
        DemoFixture f = DemoFixture.get();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        List<String> created = new java.util.ArrayList<>();
        CraneTuner tuner = new CraneTuner(values -> {
            created.add(values.get("maxEpochs"));
            if ("2".equals(values.get("maxEpochs"))) {
                now.addAndGet(java.time.Duration.ofHours(1).toNanos());   // the first run of rung 2 "takes" an hour
            }
            return org.crane.train.TrainerSettings.create(f.data.features(), values);
        }, SMALL, List.of(1L, 2L), "Recall@20").withHalving(new Halving(List.of(1, 2), 2)).withBudget(java.time.Duration.ofMinutes(30));
        tuner.clock = now::get;
        CraneTuner.Result r = tuner.search(fourPoints(), f.train, f.valid);
        assertTrue(r.budgetSpent());
        assertEquals(4, r.trials().size());
        assertTrue(r.trials().stream().allMatch(t -> t.rung() == 0), "no point completed rung 2 with both seeds: " + r.trials());
        assertEquals(1, created.stream().filter("2"::equals).count(), "no run started after the budget ended");
        assertEquals(2, r.models().size());
        assertEquals(r.chosen().validBySeed()[0], new RankingEvaluator(20).evaluate(r.models().get(0), f.valid).getMetrics().get("Recall@20"), 1e-6);

        CraneTuner none = new CraneTuner(f.data.features(), SMALL, List.of(1L), "Recall@20").withBudget(java.time.Duration.ofNanos(1));
        none.clock = new java.util.concurrent.atomic.AtomicLong()::incrementAndGet;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.search(fourPoints(), f.train, f.valid));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }

    private static Object value(com.oracle.labs.mlrg.olcut.provenance.Provenance p) {
        return ((com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance<?>) p).getValue();
    }

    @Test
    void refusesWhatItCannotSearch() {
        assertThrows(IllegalArgumentException.class, () -> new CraneTuner((org.crane.data.ItemFeatureSource) null, Map.of(), List.of(), "Recall@20"));
        assertThrows(IllegalArgumentException.class, () -> new CraneTuner((org.crane.data.ItemFeatureSource) null, Map.of(), List.of(1L), "AUC"));
        assertThrows(IllegalArgumentException.class, () -> new CraneTuner((org.crane.data.ItemFeatureSource) null, Map.of("seed", "3"), List.of(1L), "Recall@20"));
    }
}
