package org.crane.spark;

import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.model.DotProductScorer;
import org.crane.model.ScoringGraphs;

/** How a block pair's dense product is computed. */
public enum Scoring {
    /**
     * ONNX Runtime, over the graph and code that {@code CraneModel.recommend} scores with (so the
     * scores equal the single-JVM path's), one session per partition with one thread: Spark's tasks
     * are the parallelism.
     */
    ONNX {
        @Override
        BlockScorer open(int d) {
            OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(1));
            Session session = engine.open(ScoringGraphs.dotProducts(d));
            return new BlockScorer() {
                @Override
                public void score(float[] users, float[] items, float[] out) {
                    int nu = users.length / d;
                    int[] rows = new int[nu];
                    for (int q = 0; q < nu; q++) {
                        rows[q] = q;
                    }
                    try (DotProductScorer s = new DotProductScorer(session, users, items, d)) {
                        s.score(rows, out);
                    }
                }

                @Override
                public void close() {
                    session.close();
                    engine.close();
                }
            };
        }
    },
    /** Plain Java loops: no native code on the executors; scores agree with ONNX to float rounding. */
    JVM {
        @Override
        BlockScorer open(int d) {
            return new BlockScorer() {
                @Override
                public void score(float[] users, float[] items, float[] out) {
                    int nu = users.length / d;
                    int ni = items.length / d;
                    for (int q = 0; q < nu; q++) {
                        for (int i = 0; i < ni; i++) {
                            float s = 0f;
                            for (int c = 0; c < d; c++) {
                                s += users[q * d + c] * items[i * d + c];
                            }
                            out[q * ni + i] = s;
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    };

    /**
     * @param d the representation width.
     * @return a scorer for one partition's block pairs.
     */
    abstract BlockScorer open(int d);
}
