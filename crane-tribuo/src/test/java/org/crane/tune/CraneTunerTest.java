package org.crane.tune;

import org.crane.RankingEvaluator;
import org.crane.train.CraneModel;
import org.crane.train.DemoFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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
