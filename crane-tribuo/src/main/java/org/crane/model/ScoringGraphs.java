package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small graphs that score with final representations: dot products and cosine similarities. */
public final class ScoringGraphs {
    /** Input: a block of query rows. */
    public static final String QUERY = "query";
    /** Input: the table to score against. */
    public static final String TABLE = "table";
    /** Output: the scores. */
    public static final String SCORES = "scores";

    private ScoringGraphs() {
    }

    /**
     * @param d row width.
     * @return scores[b, n] = query[b] . table[n].
     */
    public static GraphSpec dotProducts(int d) {
        Program p = new Program();
        Tensor q = p.input(QUERY, DType.FLOAT, -1, d);
        Tensor t = p.input(TABLE, DType.FLOAT, -1, d);
        return OnnxGraphWriter.write("scores", Map.of(SCORES, q.matmul(t.transposeLast2())), Map.of());
    }

    /**
     * The standalone recommendation graph: user index in, top-K item indices and scores out, with
     * the user's training items masked. Embeddings and the training interactions are constants.
     * @param userEmb M x d.
     * @param itemEmb N x d.
     * @param d width.
     * @param seenUsers user of each training interaction.
     * @param seenItems item of each training interaction.
     * @param k how many items.
     * @param metadata model metadata (provenance).
     * @return the graph; input {@code user} int64 [B] (dense user indices), outputs {@code items} int64 [B, k],
     *         {@code scores} float [B, k] and {@code known} float [B]: 1 for an index in [0, users), 0 otherwise (that
     *         row's items and scores are then not a recommendation). Memory grows with B times the number of training
     *         interactions (the mask), so score users in batches of a few hundred.
     */
    public static GraphSpec recommend(float[] userEmb, float[] itemEmb, int d, long[] seenUsers, long[] seenItems, int k,
                                      Map<String, String> metadata) {
        Program p = new Program();
        int m = userEmb.length / d;
        int n = itemEmb.length / d;
        Tensor users = p.constant(userEmb, m, d);
        Tensor items = p.constant(itemEmb, n, d);
        Tensor user = p.input("user", DType.INT64, -1);
        // an index outside [0, m) would stop ONNX Runtime's Gather: score index mod m instead and say which rows are real
        Tensor safe = user.mod(p.constantLong(new long[]{m}, 1));
        Tensor known = safe.equalTo(user);
        Tensor scores = users.gatherRows(safe).matmul(items.transposeLast2());
        Tensor masked = scores;
        if (seenItems.length > 0) {
            // mask[b, i] = number of training interactions (user b, i): a large negative on seen items
            Tensor pairUser = p.constantLong(seenUsers, seenUsers.length);
            Tensor pairItem = p.constantLong(seenItems, seenItems.length);
            Tensor hit = pairUser.reshape(seenUsers.length, 1).equalTo(safe.reshape(1, -1));
            Tensor mask = p.scatterAddRows(pairItem, hit, p.rows(n)).transpose(1, 0);
            masked = scores.add(mask.mul(-1e30f));
        }
        Tensor[] top = masked.topK(Math.min(k, n));
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put("items", top[1]);
        outs.put("scores", top[0]);
        outs.put("known", known);
        return OnnxGraphWriter.write("crane_recommend", outs, metadata);
    }
}
