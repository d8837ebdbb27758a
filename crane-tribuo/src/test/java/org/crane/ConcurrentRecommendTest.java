package org.crane;

import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.DemoFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** recommend() from 8 threads x 10,000 calls gives exactly the sequential answers. */
class ConcurrentRecommendTest {
    private static final int CALLS = 10_000;

    @Test
    void eightThreadsAgreeWithSequentialCalls() throws Exception {
        DemoFixture f = DemoFixture.get();
        CraneModel m = new CraneTrainer.Builder().itemFeatures(f.data.features()).maxEpochs(1).embeddingSize(16).logEvery(100).build()
                .train(f.train, f.valid);
        int users = m.numUsers();
        List<List<Recommendation>> sequential = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            sequential.add(m.recommend(m.getUsers().externalId(u), 10));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t * 131;
                futures.add(pool.submit(() -> {
                    int checked = 0;
                    for (int c = 0; c < CALLS; c++) {
                        int u = (offset + c * 7) % users;
                        assertEquals(sequential.get(u), m.recommend(m.getUsers().externalId(u), 10), "user " + u);
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> fu : futures) {
                total += fu.get();
            }
            assertEquals(8 * CALLS, total);
        } finally {
            pool.shutdown();
        }
    }
}
