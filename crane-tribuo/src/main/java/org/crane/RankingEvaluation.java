package org.crane;

import org.crane.ItemId;
import org.tribuo.Prediction;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a ranking evaluation: each metric ("Recall@20", "NDCG@20", ...) averaged over the
 * evaluated users, the number of users, and the provenance of the model and data.
 */
public final class RankingEvaluation implements Evaluation<ItemId> {
    private final Map<String, Double> metrics;
    private final long users;
    private final long skippedUsers;
    private final EvaluationProvenance provenance;
    private final List<Prediction<ItemId>> predictions;

    /**
     * @param metrics metric name to mean value, in report order.
     * @param users how many users were evaluated.
     * @param skippedUsers how many users of the data were not (unknown to the model).
     * @param provenance the model and data provenance (may be null for raw evaluations).
     * @param predictions the predictions evaluated (empty for full-ranking evaluation).
     */
    public RankingEvaluation(Map<String, Double> metrics, long users, long skippedUsers, EvaluationProvenance provenance,
                             List<Prediction<ItemId>> predictions) {
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        this.users = users;
        this.skippedUsers = skippedUsers;
        this.provenance = provenance;
        this.predictions = List.copyOf(predictions);
    }

    /**
     * @param name a metric name such as "Recall@20".
     * @return its value.
     */
    public double get(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("No metric '" + name + "'; available: " + metrics.keySet());
        }
        return v;
    }

    /** @return metric name to value, in report order. */
    public Map<String, Double> getMetrics() {
        return metrics;
    }

    /** @return the number of evaluated users. */
    public long getUsers() {
        return users;
    }

    /** @return the number of users in the data that the model does not know. */
    public long getSkippedUsers() {
        return skippedUsers;
    }

    @Override
    public Map<MetricID<ItemId>, Double> asMap() {
        Map<MetricID<ItemId>, Double> m = new LinkedHashMap<>();
        MetricTarget<ItemId> target = MetricTarget.microAverageTarget();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            m.put(new MetricID<>(target, e.getKey()), e.getValue());
        }
        return m;
    }

    @Override
    public List<Prediction<ItemId>> getPredictions() {
        return predictions;
    }

    @Override
    public EvaluationProvenance getProvenance() {
        return provenance;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RankingEvaluation(users=").append(users);
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            sb.append(", ").append(e.getKey()).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", e.getValue()));
        }
        return sb.append(')').toString();
    }
}
