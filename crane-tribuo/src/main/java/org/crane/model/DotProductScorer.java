package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import org.crane.engine.Session;
import org.crane.engine.Tensors;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Scores blocks of users against every item by dot products of final representations, in an ONNX
 * Runtime session over {@link ScoringGraphs#dotProducts}. The item table is wrapped once; calls are
 * thread-safe. Close it to release the item tensor (the session belongs to the caller).
 */
public final class DotProductScorer implements AutoCloseable {
    private final Session session;
    private final float[] userEmb;
    private final OnnxTensor items;
    private final int d;
    private final int numItems;
    private final ThreadLocal<FloatBuffer> scratch = new ThreadLocal<>();

    /**
     * @param session a session over {@code ScoringGraphs.dotProducts(d)}.
     * @param userEmb M x d user representations.
     * @param itemEmb N x d item representations.
     * @param d the width.
     */
    public DotProductScorer(Session session, float[] userEmb, float[] itemEmb, int d) {
        this.session = session;
        this.userEmb = userEmb;
        this.d = d;
        this.numItems = itemEmb.length / d;
        this.items = Tensors.floats(org.crane.engine.OrtRuntime.environment(), itemEmb, numItems, d);
    }

    /** @return the number of items. */
    public int numItems() {
        return numItems;
    }

    /**
     * @param users dense user indices.
     * @param out receives users.length x numItems scores.
     */
    public void score(int[] users, float[] out) {
        float[] q = new float[users.length * d];
        for (int j = 0; j < users.length; j++) {
            System.arraycopy(userEmb, users[j] * d, q, j * d, d);
        }
        // the scores land in this thread's native buffer (kept between calls) and are copied out once:
        // an output of the session's own would be a fresh block per call, and reading it another
        FloatBuffer scores = scratch(users.length * numItems);
        try (OnnxTensor qt = Tensors.floats(org.crane.engine.OrtRuntime.environment(), q, users.length, d);
             OnnxTensor st = Tensors.over(org.crane.engine.OrtRuntime.environment(), scores, users.length, numItems)) {
            session.runInto(Map.of(ScoringGraphs.QUERY, qt, ScoringGraphs.TABLE, items), Map.of(session.spec().outputs().get(0), st));
            scores.get(0, out, 0, users.length * numItems);
        }
    }

    /** This thread's score buffer, at least {@code floats} long, as a view of exactly that many. */
    private FloatBuffer scratch(int floats) {
        FloatBuffer b = scratch.get();
        if (b == null || b.capacity() < floats) {
            b = Tensors.staging(floats);
            scratch.set(b);
        }
        return b.slice(0, floats);
    }

    @Override
    public void close() {
        items.close();
        scratch.remove();
    }
}
