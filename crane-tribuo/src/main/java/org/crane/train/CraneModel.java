package org.crane.train;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.crane.ItemId;
import org.crane.ItemIdFactory;
import org.crane.RankingScorer;
import org.crane.Recommendation;
import org.crane.UserFeature;
import org.crane.data.IdMap;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.graph.TopK;
import org.crane.model.DotProductScorer;
import org.crane.model.ScoringGraphs;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained CRANE recommender: final user and item representations (behaviour view fused with the
 * multimodal view), the users' training items (never recommended back unless asked), and item
 * popularity for the optional unknown-user fallback. Immutable; built only by
 * {@link org.crane.train.CraneTrainer}. Thread-safe.
 * <p>
 * As a Tribuo model, {@link #predict(Example)} takes an example whose feature {@code user=<id>}
 * names the user and returns the best unseen item, with the top-K items in the output scores.
 * {@link #recommend(String, int)} does the same without Examples. Saved with Tribuo's protobuf
 * serialization ({@link #serializeToFile}, {@link Model#deserializeFromFile}); exported to ONNX with
 * {@link #exportONNXModel(String, long)}.
 */
public final class CraneModel extends Model<ItemId> implements RankingScorer, ONNXExportable {
    private static final long serialVersionUID = 1L;

    final IdMap users;
    final int numItems;
    final int d;
    final float[] userEmb;
    final float[] itemEmb;
    final int[][] seen;
    final float[] popularity;
    final boolean popularityFallback;
    final int topK;
    final List<EpochRecord> history;
    final int bestEpoch;

    private transient volatile DotProductScorer scorer;

    /**
     * One epoch of the training run that made a model.
     * @param epoch 1-based epoch.
     * @param loss mean training loss.
     * @param validRecall20 validation Recall@20 (NaN without validation data).
     * @param validNdcg20 validation NDCG@20.
     * @param seconds epoch time including validation.
     */
    public record EpochRecord(int epoch, double loss, double validRecall20, double validNdcg20, double seconds) implements java.io.Serializable {
    }

    /**
     * Built by the trainer.
     * @param name model name.
     * @param provenance provenance.
     * @param featureIDMap the training dataset's feature map.
     * @param outputIDInfo the training dataset's output info.
     * @param users user id map.
     * @param numItems catalogue size.
     * @param d representation width.
     * @param userEmb M x d fused user representations.
     * @param itemEmb N x d fused item representations.
     * @param seen per user, its sorted training items.
     * @param popularity training interactions per item.
     * @param popularityFallback recommend popular items to unknown users instead of failing.
     * @param topK items kept in a prediction's output scores.
     * @param history the training log.
     * @param bestEpoch the epoch whose weights these are (by the trainer's early-stopping metric), or 0 for files
     *        that did not record it (the epoch of best validation Recall@20 then).
     */
    CraneModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap, ImmutableOutputInfo<ItemId> outputIDInfo,
               IdMap users, int numItems, int d, float[] userEmb, float[] itemEmb, int[][] seen, float[] popularity,
               boolean popularityFallback, int topK, List<EpochRecord> history, int bestEpoch) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        if (userEmb.length != (long) users.size() * d || itemEmb.length != (long) numItems * d || seen.length != users.size()
                || popularity.length != numItems) {
            throw new IllegalArgumentException("Inconsistent model arrays for " + users.size() + " users, " + numItems + " items, d=" + d);
        }
        this.users = users;
        this.numItems = numItems;
        this.d = d;
        this.userEmb = userEmb;
        this.itemEmb = itemEmb;
        this.seen = seen;
        this.popularity = popularity;
        this.popularityFallback = popularityFallback;
        this.topK = topK;
        this.history = List.copyOf(history);
        this.bestEpoch = bestEpoch;
    }

    // ----- recommendation API

    /**
     * @param userId an external user id.
     * @param k how many items.
     * @return the k best items the user has not interacted with in training, best first.
     */
    public List<Recommendation> recommend(String userId, int k) {
        return recommend(List.of(userId), k, false).get(0);
    }

    /**
     * Batch recommendation.
     * @param userIds external user ids.
     * @param k how many items each.
     * @param includeSeen also rank the users' training items.
     * @return one list per user, in order.
     */
    public List<List<Recommendation>> recommend(List<String> userIds, int k, boolean includeSeen) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        List<List<Recommendation>> out = new ArrayList<>(userIds.size());
        List<Integer> known = new ArrayList<>();
        List<Integer> pos = new ArrayList<>();
        for (int q = 0; q < userIds.size(); q++) {
            int u = users.index(userIds.get(q));
            out.add(null);
            if (u < 0) {
                if (!popularityFallback) {
                    throw new IllegalArgumentException("Unknown user '" + userIds.get(q) + "': the model knows " + users.size()
                            + " users from its training data (enable popularityFallback to serve unknown users)");
                }
                out.set(q, rank(userIds.get(q), popularity, 0, new int[0], k));
            } else {
                known.add(u);
                pos.add(q);
            }
        }
        int block = 256;
        for (int start = 0; start < known.size(); start += block) {
            int end = Math.min(known.size(), start + block);
            int[] us = new int[end - start];
            for (int q = 0; q < us.length; q++) {
                us[q] = known.get(start + q);
            }
            float[] scores = new float[us.length * numItems];
            scoreUsers(us, scores);
            for (int q = 0; q < us.length; q++) {
                int at = pos.get(start + q);
                out.set(at, rank(userIds.get(at), scores, q * numItems, includeSeen ? new int[0] : seen[us[q]], k));
            }
        }
        return out;
    }

    /**
     * One user's recommendations with more items left out.
     * @param userId a known user's external id.
     * @param k how many items.
     * @param alsoExcluded item indices to leave out besides the user's training items, in any order.
     * @return the k best remaining items, best first.
     * @throws IllegalArgumentException for an unknown user or {@code k < 1}.
     */
    public List<Recommendation> recommend(String userId, int k, int[] alsoExcluded) {
        int u = users.index(userId);
        if (u < 0 || k < 1) {
            throw new IllegalArgumentException(u < 0 ? "Unknown user '" + userId + "'" : "k must be >= 1, got " + k);
        }
        int[] excluded = java.util.Arrays.copyOf(seen[u], seen[u].length + alsoExcluded.length);
        System.arraycopy(alsoExcluded, 0, excluded, seen[u].length, alsoExcluded.length);
        java.util.Arrays.sort(excluded);
        float[] scores = new float[numItems];
        scoreUsers(new int[]{u}, scores);
        return rank(userId, scores, 0, excluded, k);
    }

    private List<Recommendation> rank(String user, float[] scores, int offset, int[] excluded, int k) {
        int[] items = new int[Math.min(k, numItems)];
        float[] s = new float[items.length];
        int n = TopK.select(scores, offset, numItems, excluded, items.length, items, s);
        List<Recommendation> l = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            l.add(new Recommendation(user, r + 1, Integer.toString(items[r]), s[r]));
        }
        return l;
    }

    /** @return the training log. */
    public List<EpochRecord> getHistory() {
        return history;
    }

    /**
     * @return the epoch whose weights this model holds: the best by the trainer's early-stopping metric
     * (validation Recall@20 in files that did not record it), or the last epoch when training had no
     * validation data.
     */
    public int getBestEpoch() {
        if (bestEpoch > 0) {
            return bestEpoch;
        }
        int best = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        double top = Double.NEGATIVE_INFINITY;
        for (EpochRecord e : history) {
            if (e.validRecall20() > top) {
                top = e.validRecall20();
                best = e.epoch();
            }
        }
        return best;
    }

    /** @return a copy of the M x d user representations (row = dense user index). */
    public float[] getUserEmbeddings() {
        return userEmb.clone();
    }

    /** @return a copy of the N x d item representations (row = item id). */
    public float[] getItemEmbeddings() {
        return itemEmb.clone();
    }

    /** @return the representation width. */
    public int getEmbeddingSize() {
        return d;
    }

    /** @return the external ids of the known users, by dense index. */
    public IdMap getUsers() {
        return users;
    }

    // ----- RankingScorer

    @Override
    public int numItems() {
        return numItems;
    }

    @Override
    public int numUsers() {
        return users.size();
    }

    @Override
    public int userIndex(String userId) {
        return users.index(userId);
    }

    @Override
    public void scoreUsers(int[] us, float[] out) {
        scorer().score(us, out);
    }

    @Override
    public int[] excludedItems(int user) {
        return seen[user];
    }

    private DotProductScorer scorer() {
        DotProductScorer s = scorer;
        if (s == null) {
            synchronized (this) {
                s = scorer;
                if (s == null) {
                    // one session per model, kept for the model's life
                    s = new DotProductScorer(new OrtEngine(EngineConfig.DEFAULT).open(ScoringGraphs.dotProducts(d)), userEmb, itemEmb, d);
                    scorer = s;
                }
            }
        }
        return s;
    }

    // ----- Tribuo Model

    @Override
    public Prediction<ItemId> predict(Example<ItemId> example) {
        String user = UserFeature.userOf(example);
        List<Recommendation> recs = recommend(user, topK);
        Map<String, ItemId> scores = new LinkedHashMap<>();
        for (Recommendation r : recs) {
            scores.put(r.itemId(), new ItemId(r.itemId(), r.score()));
        }
        if (recs.isEmpty()) {
            // the user has interacted with every item: nothing is left to recommend (Tribuo's unknown output)
            return new Prediction<>(ItemIdFactory.INSTANCE.getUnknownOutput(), scores, 1, example, false);
        }
        Recommendation best = recs.get(0);
        return new Prediction<>(new ItemId(best.itemId(), best.score()), scores, 1, example, false);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<ItemId>> getExcuse(Example<ItemId> example) {
        return Optional.empty();
    }

    @Override
    protected CraneModel copy(String newName, ModelProvenance newProvenance) {
        return new CraneModel(newName, newProvenance, featureIDMap, outputIDInfo, users, numItems, d, userEmb, itemEmb, seen,
                popularity, popularityFallback, topK, history, bestEpoch);
    }

    // ----- protobuf serialization

    @Override
    public ModelProto serialize() {
        Any data = Any.newBuilder().setTypeUrl(ModelPayload.TYPE_URL).setValue(ModelPayload.write(this, createDataCarrier())).build();
        return ModelProto.newBuilder().setVersion(ModelPayload.VERSION).setClassName(CraneModel.class.getName()).setSerializedData(data).build();
    }

    /**
     * Protobuf deserialization entry point, found reflectively by Tribuo. Reads plain data only;
     * every count is checked before anything is allocated ({@link ModelPayload}).
     * @param version the serialized version.
     * @param className the class name.
     * @param message the payload.
     * @return the model.
     * @throws InvalidProtocolBufferException when the payload is corrupt.
     */
    public static CraneModel deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        return ModelPayload.read(version, message.getTypeUrl(), message.getValue());
    }

    // ----- ONNX export

    /**
     * The standalone recommendation graph: input {@code user} (int64 [1], dense user index),
     * outputs {@code items} (int64 [1, K], item ids) and {@code scores} (float [1, K]) with the
     * user's training items masked; the model's provenance is in the metadata.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        return exportONNXModel(domain, modelVersion, topK);
    }

    /**
     * The standalone recommendation graph for a batch of users (see {@code ScoringGraphs.recommend}):
     * input {@code user} int64 [B] of dense user indices, outputs {@code items} int64 [B, k] (item ids),
     * {@code scores} float [B, k] and {@code known} float [B] (0 for an index that is no user's). The
     * metadata holds the provenance, {@code crane.user_ids} (a JSON array: the external id of each user
     * index) and {@code crane.k}; an item's id is its output index.
     * @param domain the model's domain.
     * @param modelVersion its version.
     * @param k items per user.
     * @return the ONNX model.
     */
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion, int k) {
        return ModelOnnx.recommendGraph(this, serializeProvenance(provenance), domain, modelVersion, k);
    }

    /**
     * Tribuo's feature-vector form: the input holds the one-hot {@code user=<id>} features of this
     * model's feature map; the output is every item's score (no masking).
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        return ModelOnnx.scoreGraph(this, featureIDMap, input);
    }

    @Override
    public String toString() {
        return "CraneModel(users=" + users.size() + ", items=" + numItems + ", d=" + d + ")";
    }
}
