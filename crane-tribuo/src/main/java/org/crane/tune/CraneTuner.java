package org.crane.tune;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.RankingMetrics;
import org.crane.data.ItemFeatureSource;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.TrainerSettings;
import org.tribuo.Dataset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A hyper-parameter search chosen on validation data: each point of a {@link SearchSpace} is trained
 * with every seed (fixed fields and the point's values set by name, as {@link TrainerSettings}), scored
 * by a validation metric, and the point with the best mean over seeds is chosen. Options: successive
 * {@link Halving}, runs in parallel (each with its share of the cores), a time budget, progress.
 * The search sees the training and validation interactions only: it has no way to read test data,
 * which belongs after the choice ({@link Result#models()} are the chosen point's models, one per seed).
 */
public final class CraneTuner {
    private static final Logger logger = Logger.getLogger(CraneTuner.class.getName());

    /**
     * One point of the search, at the highest rung all its seeds reached.
     * @param index its place in the order of the points.
     * @param point field to value.
     * @param validBySeed the validation metric of each seed, in seed order.
     * @param mean their mean.
     * @param std their sample standard deviation (0 for one seed).
     * @param rung the rung these scores come from (0-based; {@code rungs - 1} is full training).
     * @param rungs the schedule's rungs.
     */
    public record Trial(int index, Map<String, String> point, double[] validBySeed, double mean, double std, int rung, int rungs) {
        /** @return whether these scores come from full training. */
        public boolean full() {
            return rung == rungs - 1;
        }
    }

    /**
     * @param metric the validation metric chosen by.
     * @param trials every point that completed a rung: the furthest rung first, then the best mean (ties: the earlier point).
     * @param chosen the first of them.
     * @param models the chosen point's models, one per seed, in seed order.
     * @param budgetSpent whether the time budget ended the search before its schedule did.
     */
    public record Result(String metric, List<Trial> trials, Trial chosen, List<CraneModel> models, boolean budgetSpent) {
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

    final TrainerSource source;
    final Map<String, String> fixed;
    final List<Long> seeds;
    final String metric;
    final int cutoff;
    final Halving halving;
    final int parallel;
    final Duration budget;
    final TuneProgress.Listener progress;
    /** Nanoseconds, for the budget (tests replace it). */
    java.util.function.LongSupplier clock = System::nanoTime;

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
        this(source, fixed, seeds, metric, Halving.NONE, 1, null, TuneProgress.Listener.NONE);
    }

    private CraneTuner(TrainerSource source, Map<String, String> fixed, List<Long> seeds, String metric, Halving halving,
                       int parallel, Duration budget, TuneProgress.Listener progress) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("A search needs at least one seed");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds: " + seeds + " names a seed twice");
        }
        if (fixed.containsKey("seed")) {
            throw new IllegalArgumentException("seed is set by the search's seeds, not as a fixed field");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel runs must be >= 1, got " + parallel);
        }
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("the time budget must be positive, got " + budget);
        }
        this.source = source;
        this.fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        this.seeds = List.copyOf(seeds);
        this.metric = metric;
        try {
            this.cutoff = RankingMetrics.cutoffOf(metric);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metric " + e.getMessage(), e);
        }
        this.halving = halving;
        this.parallel = parallel;
        this.budget = budget;
        this.progress = progress;
    }

    /**
     * @param h the schedule.
     * @return this search with successive halving.
     */
    public CraneTuner withHalving(Halving h) {
        return new CraneTuner(source, fixed, seeds, metric, h, parallel, budget, progress);
    }

    /**
     * @param runs runs trained at once; each gets {@code threads} = cores / runs unless the fixed fields set threads.
     * @return this search with parallel runs.
     */
    public CraneTuner withParallel(int runs) {
        return new CraneTuner(source, fixed, seeds, metric, halving, runs, budget, progress);
    }

    /**
     * @param b wall-clock time after which no run starts (runs under way finish); the choice is then made among
     *        the points at the highest rung all their seeds completed.
     * @return this search with a budget.
     */
    public CraneTuner withBudget(Duration b) {
        if (b == null) {
            throw new IllegalArgumentException("the time budget must be given");
        }
        return new CraneTuner(source, fixed, seeds, metric, halving, parallel, b, progress);
    }

    /**
     * @param listener told after every run.
     * @return this search reporting progress.
     */
    public CraneTuner withProgress(TuneProgress.Listener listener) {
        return new CraneTuner(source, fixed, seeds, metric, halving, parallel, budget, listener);
    }

    /**
     * Trains and scores the given points, keeping runs in memory.
     * @param points the points (e.g. {@link SearchSpace#grid()} or {@link SearchSpace#random}).
     * @param train the training interactions.
     * @param valid the validation interactions (early stopping and the choice).
     * @return the trials and the chosen point's models.
     */
    public Result search(List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid) {
        return search(points, train, valid, Map.of(), TrialStore.inMemory());
    }

    /**
     * Trains and scores the given points. With a {@link TrialDirectory}, runs recorded there are not trained
     * again and runs cut short continue from their checkpoints: the same call after a crash ends with the
     * result an uninterrupted one gives (training is deterministic for a seed and thread count).
     * @param points the points.
     * @param train the training interactions.
     * @param valid the validation interactions.
     * @param runProvenance recorded in every trained model's run provenance (e.g. the search's space and rule).
     * @param store where runs are kept.
     * @return the trials and the chosen point's models.
     */
    public Result search(List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid,
                         Map<String, Provenance> runProvenance, TrialStore store) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("No point to try");
        }
        Map<String, Provenance> prov = new LinkedHashMap<>(runProvenance);
        SearchRun run = new SearchRun(this, points, train, valid, prov, store);
        run.execute();
        List<Trial> trials = run.trials();
        if (trials.isEmpty()) {
            throw new IllegalStateException("The time budget ended before any point finished its first rung with every seed");
        }
        trials.sort(Comparator.comparingInt(Trial::rung).reversed()
                .thenComparing(Comparator.comparingDouble(Trial::mean).reversed())
                .thenComparingInt(Trial::index));
        Trial chosen = trials.get(0);
        List<CraneModel> models = new ArrayList<>();
        for (long seed : seeds) {
            models.add(store.model(chosen.index(), seed, chosen.rung()));
        }
        for (Trial t : trials.subList(1, trials.size())) {
            for (long seed : seeds) {
                store.dropModel(t.index(), seed, t.rung());
            }
        }
        logger.info(String.format(java.util.Locale.ROOT, "chosen: trial %d %s, valid %s %.4f +- %.4f%s", chosen.index() + 1,
                chosen.point(), metric, chosen.mean(), chosen.std(), run.budgetSpent() ? " (the time budget ended the search)" : ""));
        return new Result(metric, List.copyOf(trials), chosen, List.copyOf(models), run.budgetSpent());
    }

    /**
     * @param point a point of the search.
     * @return the trainer fields of its runs but the seed: the fixed ones, the point's and, with parallel runs, the
     *         threads share (what a configuration re-training the point needs to give the same models).
     */
    public Map<String, String> settings(Map<String, String> point) {
        Map<String, String> values = new LinkedHashMap<>(fixed);
        values.putAll(point);
        if (parallel > 1 && !values.containsKey("threads")) {
            values.put("threads", Integer.toString(org.crane.engine.EngineConfig.threadsPerJob(parallel)));
        }
        return values;
    }

    /**
     * @param t a trial's index.
     * @return the run provenance entry naming it.
     */
    static Map.Entry<String, Provenance> trialProvenance(int t) {
        return Map.entry("tune-trial", new IntProvenance("tune-trial", t + 1));
    }

    /**
     * @param model a run's model.
     * @param valid the validation interactions.
     * @return the search's metric of the model on them.
     */
    double score(CraneModel model, Dataset<ItemId> valid) {
        return new RankingEvaluator(cutoff).evaluate(model, valid).getMetrics().get(metric);
    }
}
