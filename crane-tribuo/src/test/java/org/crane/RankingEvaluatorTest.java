package org.crane;

import org.crane.ItemId;
import org.crane.eval.MatrixScorer;
import org.crane.graph.TopK;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RankingEvaluatorTest {
    @Test
    void fullRankingMatchesHandComputation() {
        // user 0: scores favour item 0 (its training item, excluded), then 2, 1, 3; relevant {1}
        // user 1: relevant {3}, ranked first; user 2: no relevant item, skipped
        float[][] scores = {{9, 2, 5, 1}, {0, 1, 2, 3}, {1, 1, 1, 1}};
        int[][] excluded = {{0}, {}, {}};
        int[][] relevant = {{1}, {3}, null};
        RankingMetrics m = new RankingEvaluator(1, 2).evaluate(new MatrixScorer(scores, excluded), relevant);
        Map<String, Double> r = m.means();
        assertEquals(2, m.users());
        assertEquals((0 + 1) / 2.0, r.get("Recall@1"), 1e-9);
        assertEquals((1 + 1) / 2.0, r.get("Recall@2"), 1e-9);
        double ndcgUser0 = Math.log(2) / Math.log(3); // hit at rank 2: 1/log2(3)
        assertEquals((ndcgUser0 + 1) / 2, r.get("NDCG@2"), 1e-9);
    }

    @Test
    void manyBlocksGiveTheSameAsOne() {
        int users = 1000;
        int items = 50;
        java.util.Random rnd = new java.util.Random(3);
        float[][] scores = new float[users][items];
        int[][] excluded = new int[users][];
        int[][] relevant = new int[users][];
        RankingMetrics oneByOne = new RankingMetrics(5, 10);
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                scores[u][i] = rnd.nextFloat();
            }
            excluded[u] = new int[]{u % items};
            relevant[u] = new int[]{(u + 1) % items, (u + 7) % items};
            java.util.Arrays.sort(relevant[u]);
            int[] ranked = new int[10];
            int len = TopK.select(scores[u], 0, items, excluded[u], 10, ranked, null);
            oneByOne.add(ranked, len, relevant[u]);
        }
        java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger();
        RankingMetrics blocked = new RankingEvaluator(5, 10).evaluate(new MatrixScorer(scores, excluded), relevant,
                done -> last.accumulateAndGet(done, Math::max));
        assertEquals(users, last.get(), "progress reaches every user");
        for (Map.Entry<String, Double> e : oneByOne.means().entrySet()) {
            assertEquals(e.getValue(), blocked.means().get(e.getKey()), 1e-12, e.getKey());
        }
    }

    @Test
    void evaluationExposesTribuoMetricIds() {
        RankingEvaluation ev = new RankingEvaluation(Map.of("Recall@20", 0.25), 4, 0, null, java.util.List.of());
        assertEquals(0.25, ev.get("Recall@20"));
        assertEquals(0.25, ev.asMap().get(new org.tribuo.evaluation.metrics.MetricID<ItemId>(
                org.tribuo.evaluation.metrics.MetricTarget.microAverageTarget(), "Recall@20")));
    }
}
