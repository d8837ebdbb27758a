package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.eval.RankingScorer;
import org.crane.model.ScoringGraphs;

import java.nio.FloatBuffer;
import java.util.Map;

/** Scores users against items by dot products of given representations (validation during training). */
final class EmbeddingScorer implements RankingScorer, AutoCloseable {
    private final OrtEngine engine;
    private final Session session;
    private final float[] userEmb;
    private final OnnxTensor items;
    private final int d;
    private final int numItems;
    private final int[][] seen;

    EmbeddingScorer(OrtEngine engine, Session dotSession, float[] userEmb, float[] itemEmb, int d, int[][] seen) {
        this.engine = engine;
        this.session = dotSession;
        this.userEmb = userEmb;
        this.d = d;
        this.numItems = itemEmb.length / d;
        this.items = Tensors.floats(engine.env(), itemEmb, numItems, d);
        this.seen = seen;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    @Override
    public int numUsers() {
        return seen.length;
    }

    @Override
    public int userIndex(String userId) {
        throw new UnsupportedOperationException("dense indices only");
    }

    @Override
    public int itemIndex(String itemId) {
        throw new UnsupportedOperationException("dense indices only");
    }

    @Override
    public String itemId(int item) {
        return Integer.toString(item);
    }

    @Override
    public void scoreUsers(int[] users, float[] out) {
        float[] q = new float[users.length * d];
        for (int j = 0; j < users.length; j++) {
            System.arraycopy(userEmb, users[j] * d, q, j * d, d);
        }
        try (OnnxTensor qt = Tensors.floats(engine.env(), q, users.length, d);
             OrtSession.Result r = session.run(Map.of(ScoringGraphs.QUERY, qt, ScoringGraphs.TABLE, items), Map.of())) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            fb.get(out, 0, users.length * numItems);
        }
    }

    @Override
    public int[] excludedItems(int user) {
        return seen[user];
    }

    @Override
    public void close() {
        items.close();
    }
}
