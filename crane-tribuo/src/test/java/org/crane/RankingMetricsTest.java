package org.crane;

import org.crane.graph.TopK;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every metric against values computed by hand (see the comments). */
class RankingMetricsTest {
    private static final double EPS = 1e-9;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void metricNamesGiveTheirCutoffAndOthersAreRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(10, RankingMetrics.cutoffOf("NDCG@10"));
        org.junit.jupiter.api.Assertions.assertEquals(1000, RankingMetrics.cutoffOf("HitRate@1000"));
        for (String bad : new String[]{"Recall@1001", "Recall@0", "Recall@", "AUC", "AUC@5", "@5", "Recall@05", null}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RankingMetrics.cutoffOf(bad), bad);
        }
    }

    @Test
    void singleUserTwoRelevantItems() {
        // relevant {1, 3}; ranking 3, 0, 1, 2, 4: hits at ranks 1 and 3
        RankingMetrics m = new RankingMetrics(1, 3);
        m.add(new int[]{3, 0, 1, 2, 4}, 5, new int[]{1, 3});
        Map<String, Double> r = m.means();
        // K=1: one hit of two relevant
        assertEquals(0.5, r.get("Recall@1"), EPS);
        assertEquals(1.0, r.get("Precision@1"), EPS);
        assertEquals(1.0, r.get("NDCG@1"), EPS);          // DCG 1 / IDCG over min(2,1)=1 rank = 1
        assertEquals(1.0, r.get("MAP@1"), EPS);           // (1/1) / min(2,1)
        assertEquals(1.0, r.get("HitRate@1"), EPS);
        // K=3: hits at 1 and 3
        assertEquals(1.0, r.get("Recall@3"), EPS);
        assertEquals(2.0 / 3, r.get("Precision@3"), EPS);
        assertEquals((1 + 0.5) / (1 + 1 / LOG2_3), r.get("NDCG@3"), EPS); // DCG 1/log2(2) + 1/log2(4)
        assertEquals((1.0 + 2.0 / 3) / 2, r.get("MAP@3"), EPS);           // (P@1 + P@3) / min(2,3)
        assertEquals(1.0, r.get("HitRate@3"), EPS);
    }

    @Test
    void fewerRelevantThanKAndMisses() {
        // relevant {7}; ranking 1, 2, 7: one hit at rank 3; K=5 but list of 3
        RankingMetrics m = new RankingMetrics(2, 5);
        m.add(new int[]{1, 2, 7}, 3, new int[]{7});
        Map<String, Double> r = m.means();
        assertEquals(0.0, r.get("Recall@2"), EPS);
        assertEquals(0.0, r.get("NDCG@2"), EPS);
        assertEquals(0.0, r.get("HitRate@2"), EPS);
        assertEquals(1.0, r.get("Recall@5"), EPS);
        assertEquals(0.2, r.get("Precision@5"), EPS);      // hits / K, not / list length
        assertEquals(0.5, r.get("NDCG@5"), EPS);           // (1/log2 4) / 1
        assertEquals(1.0 / 3, r.get("MAP@5"), EPS);        // P@3 / min(1,5)
    }

    @Test
    void averagesOverUsersAndCountsUnreachableRelevantItems() {
        RankingMetrics m = new RankingMetrics(2);
        m.add(new int[]{0, 1}, 2, new int[]{0});          // perfect: recall 1, ndcg 1
        m.add(new int[]{4, 5}, 2, new int[]{-1, 5});       // item -1 can never be hit: recall 1/2
        Map<String, Double> r = m.means();
        assertEquals(2, m.users());
        assertEquals((1 + 0.5) / 2, r.get("Recall@2"), EPS);
        double ndcg2 = (1 / LOG2_3) / (1 + 1 / LOG2_3);
        assertEquals((1 + ndcg2) / 2, r.get("NDCG@2"), EPS);
        assertEquals((0.5 + 0.5) / 2, r.get("Precision@2"), EPS);
        assertEquals((1 + 0.5 / 2) / 2, r.get("MAP@2"), EPS);   // second: (1/2) / min(2,2)
        assertEquals(1.0, r.get("HitRate@2"), EPS);
    }

    @Test
    void tiesAreBrokenByLowerItemIndexAndKBeyondCatalogue() {
        // scores tie for items 0,1,2; item 3 low. Relevant {2}.
        float[] scores = {0.5f, 0.5f, 0.5f, 0.1f};
        int[] ranked = new int[10];
        int len = TopK.select(scores, 0, 4, new int[0], 10, ranked, null);
        assertEquals(4, len);                               // K=10 > catalogue of 4
        assertEquals(0, ranked[0]);
        assertEquals(1, ranked[1]);
        assertEquals(2, ranked[2]);
        RankingMetrics m = new RankingMetrics(2, 3, 10);
        m.add(ranked, len, new int[]{2});
        Map<String, Double> r = m.means();
        assertEquals(0.0, r.get("Recall@2"), EPS);
        assertEquals(1.0, r.get("Recall@3"), EPS);
        assertEquals(0.5, r.get("NDCG@3"), EPS);
        assertEquals(1.0 / 3, r.get("Precision@3"), EPS);
        assertEquals(1.0 / 3, r.get("MAP@3"), EPS);
        assertEquals(0.1, r.get("Precision@10"), EPS);
    }

    @Test
    void exclusionsSkipTrainingItems() {
        float[] scores = {0.9f, 0.1f, 0.5f};
        int[] ranked = new int[5];
        int len = TopK.select(scores, 0, 3, new int[]{0}, 5, ranked, null);
        assertEquals(2, len);
        assertEquals(2, ranked[0]);
        assertEquals(1, ranked[1]);
    }

    @Test
    void rejectsEmptyRelevantAndBadK() {
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics(1).add(new int[]{0}, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics(0));
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics());
    }
}
