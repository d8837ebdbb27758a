package org.crane.tune;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.crane.ItemId;
import org.crane.train.Checkpointing;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.TrainingCheckpoint;
import org.crane.train.TrainingListener;
import org.crane.tune.TrialStore.RunRecord;
import org.tribuo.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * One execution of a {@link CraneTuner} search: the rungs in order, each rung's runs (point x seed) on a
 * pool of {@code parallel} workers, the better points promoted, the time budget and progress.
 */
final class SearchRun {
    private static final Logger logger = Logger.getLogger(SearchRun.class.getName());
    private final CraneTuner tuner;
    private final List<Map<String, String>> points;
    private final Dataset<ItemId> train;
    private final Dataset<ItemId> valid;
    private final Map<String, Provenance> prov;
    private final TrialStore store;
    private final RunRecord[][] records;
    private final long start;
    private final int[] planned;
    private boolean budgetSpent;
    private int runsDone;
    private double epochsTimed;
    private double secondsTimed;
    private int fullEpochs;
    private int fullRuns;
    private int best = -1;
    private double bestMean = Double.NaN;

    SearchRun(CraneTuner tuner, List<Map<String, String>> points, Dataset<ItemId> train, Dataset<ItemId> valid,
              Map<String, Provenance> prov, TrialStore store) {
        this.tuner = tuner;
        this.points = points;
        this.train = train;
        this.valid = valid;
        this.prov = prov;
        this.store = store;
        this.records = new RunRecord[points.size()][tuner.seeds.size()];
        for (int t = 0; t < points.size(); t++) {
            for (int s = 0; s < tuner.seeds.size(); s++) {
                records[t][s] = store.record(t, tuner.seeds.get(s), points.get(t));
            }
        }
        this.planned = tuner.halving.pointsPerRung(points.size());
        this.start = tuner.clock.getAsLong();
    }

    boolean budgetSpent() {
        return budgetSpent;
    }

    void execute() {
        List<Integer> active = new ArrayList<>();
        for (int t = 0; t < points.size(); t++) {
            active.add(t);
        }
        int rungs = tuner.halving.rungs();
        for (int r = 0; r < rungs; r++) {
            runRung(active, r);
            if (budgetSpent) {
                return;   // the choice falls back to rung r - 1: its models stay
            }
            if (r > 0) {
                dropModels(active, r - 1);   // every active point completed rung r
            }
            if (r == rungs - 1) {
                return;
            }
            List<Integer> ranked = new ArrayList<>(active);
            final int rung = r;
            ranked.sort(Comparator.comparingDouble((Integer t) -> mean(t, rung)).reversed().thenComparingInt(t -> t));
            List<Integer> kept = new ArrayList<>(ranked.subList(0, tuner.halving.keep(ranked.size())));
            kept.sort(null);
            List<Integer> stopped = ranked.subList(kept.size(), ranked.size());
            for (int t : stopped) {
                for (long seed : tuner.seeds) {
                    store.dropCheckpoint(t, seed);
                }
            }
            dropModels(stopped, r);
            logger.info(String.format(Locale.ROOT, "rung %d of %d done: %d of %d points go on (trials %s)", r + 1, rungs, kept.size(),
                    active.size(), kept.stream().map(t -> t + 1).toList()));
            active = kept;
        }
    }

    private void dropModels(List<Integer> trials, int rung) {
        for (int t : trials) {
            for (long seed : tuner.seeds) {
                store.dropModel(t, seed, rung);
            }
        }
    }

    /** Trains every run of the rung that is not recorded yet; sets budgetSpent when the budget left some out. */
    private void runRung(List<Integer> active, int r) {
        List<int[]> todo = new ArrayList<>();
        for (int t : active) {
            for (int s = 0; s < tuner.seeds.size(); s++) {
                if (records[t][s].rungsDone() > r) {
                    runsDone++;
                } else {
                    todo.add(new int[]{t, s});
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tuner.parallel, Math.max(1, todo.size())), runnable -> {
            Thread th = new Thread(runnable, "crane-tune");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int[] u : todo) {
                futures.add(pool.submit(() -> runOne(u[0], u[1], r)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    pool.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("The search was interrupted", e);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private void runOne(int t, int s, int r) {
        synchronized (this) {
            if (tuner.budget != null && tuner.clock.getAsLong() - start >= tuner.budget.toNanos()) {
                budgetSpent = true;
                return;
            }
        }
        long seed = tuner.seeds.get(s);
        Map<String, String> point = points.get(t);
        RunRecord before = records[t][s];
        if (before.finished()) {
            // training ended at an earlier rung: the same model and score carry over
            store.keepModel(t, seed, r, store.model(t, seed, before.rungsDone() - 1));
            finish(t, s, r, before.next(before.scores()[before.rungsDone() - 1], true, before.epochs(), 0), 0);
            return;
        }
        Map<String, String> values = tuner.settings(point);
        values.put("seed", Long.toString(seed));
        CraneTrainer trainer = tuner.source.create(values);
        int full = trainer.maxEpochs();
        int target = tuner.halving.epochs(r, full);
        if (target != full) {
            values.put("maxEpochs", Integer.toString(target));
            trainer = tuner.source.create(values);
        }
        Checkpointing checkpointing = Checkpointing.NONE;
        Path ck = store.checkpoint(t, seed);
        if (ck != null) {
            checkpointing = Checkpointing.every(1, ck);
            if (Files.isRegularFile(ck)) {
                try {
                    TrainingCheckpoint c = TrainingCheckpoint.load(ck);
                    if (c.epoch() <= target) {
                        checkpointing = checkpointing.resumingFrom(c);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(ck + ": " + e.getMessage(), e);
                }
            }
        }
        Map<String, Provenance> runProv = new LinkedHashMap<>(prov);
        Map.Entry<String, Provenance> trial = CraneTuner.trialProvenance(t);
        runProv.put(trial.getKey(), trial.getValue());
        long t0 = System.nanoTime();
        CraneModel model = trainer.train(train, valid, runProv, TrainingListener.NONE, checkpointing);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int epochs = model.getHistory().size();
        boolean finished = target == full || epochs < target;
        double score = tuner.score(model, valid);
        store.keepModel(t, seed, r, model);
        synchronized (this) {
            epochsTimed += Math.max(0, epochs - before.epochs());
            secondsTimed += seconds;
            if (finished && target == full) {
                fullEpochs += epochs;
                fullRuns++;
            }
        }
        finish(t, s, r, before.next(score, finished, epochs, seconds), seconds);
        if (finished && ck != null) {
            store.dropCheckpoint(t, seed);
        }
    }

    private synchronized void finish(int t, int s, int r, RunRecord record, double seconds) {
        store.write(t, tuner.seeds.get(s), points.get(t), record);
        records[t][s] = record;
        runsDone++;
        boolean complete = true;
        for (RunRecord rec : records[t]) {
            complete &= rec.rungsDone() > r;
        }
        if (complete) {
            double m = mean(t, r);
            int bestRung = best < 0 ? -1 : rungOf(best);
            if (best < 0 || r > bestRung || r == bestRung && (m > bestMean || m == bestMean && t < best)) {
                best = t;
                bestMean = m;
            }
            logger.info(String.format(Locale.ROOT, "trial %d %s, rung %d: valid %s %.4f (best so far: trial %d, %.4f)",
                    t + 1, points.get(t), r + 1, tuner.metric, m, best + 1, bestMean));
        }
        double elapsed = (tuner.clock.getAsLong() - start) / 1e9;
        tuner.progress.update(new TuneProgress(runsDone, totalRuns(), r, best, bestMean, elapsed, eta(r)));
    }

    private int totalRuns() {
        int n = 0;
        for (int p : planned) {
            n += p * tuner.seeds.size();
        }
        return n;
    }

    /** Seconds left: epochs the plan still holds (full runs' length guessed from those done) at the speed seen so far. */
    private double eta(int rung) {
        if (epochsTimed == 0) {
            return Double.NaN;
        }
        List<Integer> rungEpochs = tuner.halving.rungEpochs();
        // the runs that end first are those that stop early: their mean alone makes the estimate too short
        double finishedMean = fullRuns > 0 ? (double) fullEpochs / fullRuns : 0;
        double fullGuess = rungEpochs.isEmpty() ? (fullRuns > 0 ? finishedMean : epochsTimed / Math.max(1, runsDone))
                : Math.max(finishedMean, 2.0 * rungEpochs.get(rungEpochs.size() - 1));
        double left = 0;
        for (int r = rung; r < planned.length; r++) {
            double from = r == 0 ? 0 : rungEpochs.get(r - 1);
            double to = r < rungEpochs.size() ? rungEpochs.get(r) : Math.max(from, fullGuess);
            int runsThere = planned[r] * tuner.seeds.size();
            int doneThere = r == rung ? countDone(r) : 0;
            left += Math.max(0, runsThere - doneThere) * (to - from);
        }
        return left * (secondsTimed / epochsTimed) / tuner.parallel;
    }

    private int countDone(int r) {
        int n = 0;
        for (RunRecord[] trial : records) {
            for (RunRecord rec : trial) {
                n += rec.rungsDone() > r ? 1 : 0;
            }
        }
        return n;
    }

    /** The highest rung all seeds of a point completed, or -1. */
    private int rungOf(int t) {
        int r = Integer.MAX_VALUE;
        for (RunRecord rec : records[t]) {
            r = Math.min(r, rec.rungsDone() - 1);
        }
        return r;
    }

    private double mean(int t, int r) {
        double s = 0;
        for (RunRecord rec : records[t]) {
            s += rec.scores()[r];
        }
        return s / records[t].length;
    }

    /** @return every point that completed a rung with all seeds, at its highest such rung (unsorted). */
    List<CraneTuner.Trial> trials() {
        List<CraneTuner.Trial> out = new ArrayList<>();
        for (int t = 0; t < points.size(); t++) {
            int r = rungOf(t);
            if (r < 0) {
                continue;
            }
            double[] scores = new double[tuner.seeds.size()];
            for (int s = 0; s < scores.length; s++) {
                scores[s] = records[t][s].scores()[r];
            }
            double m = mean(t, r);
            double v = 0;
            for (double x : scores) {
                v += (x - m) * (x - m);
            }
            out.add(new CraneTuner.Trial(t, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(points.get(t))), scores, m,
                    scores.length < 2 ? 0 : Math.sqrt(v / (scores.length - 1)), r, tuner.halving.rungs()));
        }
        return out;
    }
}
