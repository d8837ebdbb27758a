package org.crane.tune;

import org.crane.ItemId;
import org.crane.RankingEvaluator;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.crane.data.ItemFeatureSource;
import org.crane.train.CraneTrainer;
import org.crane.train.CraneModel;
import org.crane.train.TrainerSettings;
import org.tribuo.Dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A hyper-parameter search chosen on validation data: each point of a {@link SearchSpace} is trained
 * with every seed (fixed fields and the point's values set by name, as {@link TrainerSettings}), scored
 * by a validation metric, and the point with the best mean over seeds is chosen. The search sees the
 * training and validation interactions only: it has no way to read test data, which belongs after the
 * choice ({@link Result#models()} are the chosen point's models, one per seed).
 */
public final class CraneTuner {
    private static final Logger logger = Logger.getLogger(CraneTuner.class.getName());

    /**
     * One point of the search.
     * @param index its place in the order tried.
     * @param point field to value.
     * @param validBySeed the validation metric of each seed, in seed order.
     * @param mean their mean.
     * @param std their sample standard deviation (0 for one seed).
     */
    public record Trial(int index, Map<String, String> point, double[] validBySeed, double mean, double std) {
    }

    /**
     * @param metric the validation metric chosen by.
     * @param trials every trial, best mean first (ties: the earlier tried).
     * @param chosen the best trial.
     * @param models the chosen point's models, one per seed, in seed order.
     */
    public record Result(String metric, List<Trial> trials, Trial chosen, List<CraneModel> models) {
    }

    /** Makes the trainer of one run from its field values (the point's, the fixed ones and the seed). */
    @FunctionalInterface
    public interface TrainerSource {
        /**
         * @param values field to value as text.
         * @return the trainer.
         */
        CraneTrainer create(Map<String, String> values);
    }

    /** Where finished trials are kept, so that a killed search resumes without redoing them. */
    public interface TrialStore {
        /**
         * @param index the trial's place in the order tried.
         * @param point its values.
         * @return the validation scores of each seed if this trial finished before, otherwise null.
         */
        double[] finished(int index, Map<String, String> point);

        /**
         * @param index the trial's place.
         * @param point its values.
         * @param scores each seed's validation score.
         */
        void finish(int index, Map<String, String> point, double[] scores);

        /** Keeps nothing. */
        TrialStore NONE = new TrialStore() {
            @Override
            public double[] finished(int index, Map<String, String> point) {
                return null;
            }

            @Override
            public void finish(int index, Map<String, String> point, double[] scores) {
            }
        };
    }

    private final TrainerSource source;
    private final Map<String, String> fixed;
    private final List<Long> seeds;
    private final String metric;
    private final int cutoff;

    /**
     * @param features the item modalities, or null for LightGCN.
     * @param fixed trainer fields set for every trial (field to value).
     * @param seeds the seeds every point is trained with.
     * @param metric the validation metric to maximise, e.g. {@code Recall@20}.
     */
    public CraneTuner(ItemFeatureSource features, Map<String, String> fixed, List<Long> seeds, String metric) {
        this(values -> TrainerSettings.create(features, values), fixed, seeds, metric);
    }

    /**
     * @param source makes each run's trainer (e.g. from a base configuration file).
     * @param fixed trainer fields set for every trial (field to value).
     * @param seeds the seeds every point is trained with.
     * @param metric the validation metric to maximise, e.g. {@code Recall@20}.
     */
    public CraneTuner(TrainerSource source, Map<String, String> fixed, List<Long> seeds, String metric) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("A search needs at least one seed");
        }

        if (fixed.containsKey("seed")) {
            throw new IllegalArgumentException("seed is set by the search's seeds, not as a fixed field");
        }
        this.source = source;
        this.fixed = new LinkedHashMap<>(fixed);
        this.seeds = List.copyOf(seeds);
        this.metric = metric;
        try {
            this.cutoff = org.crane.RankingMetrics.cutoffOf(metric);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metric " + e.getMessage(), e);
        }
    }

    /**
     * Trains and scores the given points in order.
     * @param points the points (e.g. {@link SearchSpace#grid()} or {@link SearchSpace#random}).
     * @param train the training interactions.
     * @param valid the validation interactions (early stopping and the choice).
     * @return the trials and the chosen point's models.
     */
    public Result search(List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid) {
        return search(points, train, valid, Map.of());
    }

    /**
     * @param points the points.
     * @param train the training interactions.
     * @param valid the validation interactions.
     * @param runProvenance recorded in every trained model's run provenance (e.g. the search's space and rule).
     * @return the trials and the chosen point's models.
     */
    public Result search(List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid,
                         Map<String, Provenance> runProvenance) {
        return search(points, train, valid, runProvenance, TrialStore.NONE);
    }

    /**
     * As {@link #search(List, Dataset, Dataset, Map)}, taking finished trials from a store and adding
     * each new one to it; when the chosen trial finished in an earlier process, its models are trained
     * again (training is deterministic for a seed and thread count).
     * @param points the points.
     * @param train the training interactions.
     * @param valid the validation interactions.
     * @param runProvenance recorded in every trained model's run provenance.
     * @param store the finished trials.
     * @return the trials and the chosen point's models.
     */
    public Result search(List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid,
                         Map<String, Provenance> runProvenance, TrialStore store) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("No point to try");
        }
        List<Trial> trials = new ArrayList<>();
        Trial best = null;
        List<CraneModel> bestModels = null;
        for (int t = 0; t < points.size(); t++) {
            Map<String, String> point = points.get(t);
            double[] scores = store.finished(t, point);
            List<CraneModel> models = null;
            if (scores == null || scores.length != seeds.size()) {
                models = new ArrayList<>();
                scores = train(t, point, train, valid, runProvenance, models);
                store.finish(t, point, scores);
            }
            Trial trial = new Trial(t, Map.copyOf(point), scores, mean(scores), std(scores));
            trials.add(trial);
            if (best == null || trial.mean() > best.mean()) {
                best = trial;
                bestModels = models;
            }
            logger.info(String.format(java.util.Locale.ROOT, "trial %d of %d %s: valid %s %.4f +- %.4f (best so far %.4f, trial %d)",
                    t + 1, points.size(), point, metric, trial.mean(), trial.std(), best.mean(), best.index() + 1));
        }
        if (bestModels == null) {
            // the chosen trial finished in an earlier process: its models again
            bestModels = new ArrayList<>();
            train(best.index(), best.point(), train, valid, runProvenance, bestModels);
        }
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingDouble(Trial::mean).reversed().thenComparingInt(Trial::index));
        return new Result(metric, List.copyOf(sorted), best, List.copyOf(bestModels));
    }

    /** Trains one point with every seed; returns each seed's validation score, adding the models to {@code models}. */
    private double[] train(int t, Map<String, String> point, Dataset<ItemId> train, Dataset<ItemId> valid,
                           Map<String, Provenance> runProvenance, List<CraneModel> models) {
        double[] scores = new double[seeds.size()];
        for (int s = 0; s < seeds.size(); s++) {
            Map<String, String> values = new LinkedHashMap<>(fixed);
            values.putAll(point);
            values.put("seed", Long.toString(seeds.get(s)));
            Map<String, Provenance> prov = new LinkedHashMap<>(runProvenance);
            prov.put("tune-trial", new IntProvenance("tune-trial", t + 1));
            CraneModel model = source.create(values).train(train, valid, prov);
            scores[s] = new RankingEvaluator(cutoff).evaluate(model, valid).getMetrics().get(metric);
            models.add(model);
        }
        return scores;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static double std(double[] a) {
        if (a.length < 2) {
            return 0;
        }
        double m = mean(a);
        double s = 0;
        for (double v : a) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (a.length - 1));
    }
}
