package org.crane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.AtomicWrite;
import org.crane.data.DataDirectory;
import org.crane.data.ItemFeatureSource;
import org.crane.data.Split;
import org.crane.eval.ColdItems;
import org.crane.eval.PopularityScorer;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code crane suite}: CRANE (the trainer's defaults, or a configuration), LightGCN (the same
 * trainer without modalities) and popularity on several dataset folders and seeds, with the same
 * protocol for all: early stopping on the valid split, test metrics at the best valid epoch,
 * overall and on cold / warm test rows. Each finished run is written to {@code OUT/runs/} and is
 * not redone when the suite is run again with the same OUT.
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = "Train CRANE, LightGCN (--no-modalities) and popularity on dataset folders and seeds; "
                + "write OUT/results.md, OUT/results.json and OUT/results.png (mean +- std test Recall@20 / NDCG@20, "
                + "CRANE/LightGCN ratio, cold-item rows). Finished runs in OUT are reused; folders with byte-identical "
                + "interactions share their LightGCN runs.")
final class SuiteCommand implements Callable<Integer> {
    static final List<String> DEFAULT_DATASETS = List.of("lfm2k", "lfm2k-sparse", "lfm2k-noise", "lfm2k-sparse-noise", "baby");

    @Option(names = "--data-root", paramLabel = "DIR", description = "Folder holding the dataset folders (default ${DEFAULT-VALUE}).")
    Path dataRoot = Path.of("../shared/data");
    @Option(names = "--datasets", split = ",", paramLabel = "NAME", description = "Dataset folders under --data-root (default: "
            + "lfm2k,lfm2k-sparse,lfm2k-noise,lfm2k-sparse-noise,baby).")
    List<String> datasets = new ArrayList<>(DEFAULT_DATASETS);
    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Seeds of every CRANE and LightGCN run (default ${DEFAULT-VALUE}).")
    List<Long> seeds = new ArrayList<>(List.of(999L, 1000L, 1001L));
    @Option(names = "--one-seed", split = ",", paramLabel = "NAME", description = "Datasets run with the first seed only "
            + "(default ${DEFAULT-VALUE}: a CRANE run on Baby takes about a quarter of an hour on two cores).")
    List<String> oneSeed = new ArrayList<>(List.of("baby"));
    @Option(names = "--modality", paramLabel = "NAME:mod=file", description = "Select a dataset's modalities (repeatable), "
            + "e.g. lfm2k:audio=whisper.npy; default: every .npy/.npy.gz of the folder.")
    List<String> modalities = new ArrayList<>();
    @Option(names = "--config", paramLabel = "FILE.xml", description = "OLCUT configuration of the trainer (default: built-in defaults); "
            + "its item features are replaced by each dataset's.")
    Path config;
    @Option(names = "--set", paramLabel = "name=value", description = "Override a trainer field for every run (repeatable).")
    List<String> sets = new ArrayList<>();
    @Option(names = "--jobs", description = "Trainings at once (default: one per core); each gets cores / jobs threads.")
    int jobs = Runtime.getRuntime().availableProcessors();
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Results folder (created; runs already in it are reused).")
    Path out;
    @Spec
    CommandSpec spec;

    /** One finished run: what the results table reads. */
    record RunResult(String dataset, String model, long seed, double validRecall20, Map<String, Double> test,
                     Map<String, Double> cold, Map<String, Double> warm, int bestEpoch, int epochs, double seconds) {
        /** @param other a dataset with the same interactions. @return this run, reported under that dataset. */
        RunResult in(String other) {
            return new RunResult(other, model, seed, validRecall20, test, cold, warm, bestEpoch, epochs, seconds);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (jobs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be >= 1, got " + jobs);
        }
        if (seeds.isEmpty() || datasets.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds and --datasets need at least one value");
        }
        for (String name : datasets) {
            if (!Files.isDirectory(dataRoot.resolve(name))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no dataset folder " + dataRoot.resolve(name));
            }
        }
        Files.createDirectories(out.resolve("runs"));
        int threads = org.crane.engine.EngineConfig.threadsPerJob(jobs);
        List<RunResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<RunResult>> pending = new ArrayList<>();
            List<String> renamed = new ArrayList<>();
            // LightGCN ignores the features: folders whose interactions are byte-identical share its runs
            Map<String, Future<RunResult>> lightGcn = new LinkedHashMap<>();
            for (String name : datasets) {
                SuiteData data = new SuiteData(name, modalitiesOf(name));
                results.add(popularity(data));
                List<Long> runSeeds = oneSeed.contains(name) ? seeds.subList(0, 1) : seeds;
                for (long seed : runSeeds) {
                    pending.add(pool.submit(() -> run(data, "CRANE", seed, threads, o)));
                    renamed.add(name);
                    String key = data.loaded.interactions().source().sha256() + "/" + seed;
                    Future<RunResult> shared = lightGcn.get(key);
                    if (shared == null) {
                        shared = pool.submit(() -> run(data, "LightGCN", seed, threads, o));
                        lightGcn.put(key, shared);
                    }
                    pending.add(shared);
                    renamed.add(name);
                }
            }
            for (int q = 0; q < pending.size(); q++) {
                try {
                    RunResult r = pending.get(q).get();
                    results.add(r.dataset().equals(renamed.get(q)) ? r : r.in(renamed.get(q)));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        SuiteTable table = new SuiteTable(datasets, results);
        String md = table.markdown(seeds, oneSeed);
        o.println();
        o.print(md);
        AtomicWrite.to(out.resolve("results.md"), tmp -> Files.writeString(tmp, md));
        AtomicWrite.to(out.resolve("results.json"), tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(),
                Map.of("summary", table.summary(), "runs", results)));
        AtomicWrite.to(out.resolve("results.png"), tmp -> table.chart(tmp));
        o.println("\nWrote " + out.resolve("results.md") + ", results.json and results.png");
        return 0;
    }

    private List<String> modalitiesOf(String dataset) {
        List<String> m = new ArrayList<>();
        for (String s : modalities) {
            int c = s.indexOf(':');
            if (c <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--modality '" + s + "' is not of the form NAME:mod=file");
            }
            if (s.substring(0, c).equals(dataset)) {
                m.add(s.substring(c + 1));
            }
        }
        return m;
    }

    /** One dataset folder, loaded once and shared by its runs. */
    private final class SuiteData {
        final String name;
        final DataDirectory.LoadedData loaded;
        final MutableDataset<ItemId> train;
        final MutableDataset<ItemId> valid;
        final MutableDataset<ItemId> test;
        final ColdItems coldItems;

        SuiteData(String name, List<String> mods) throws java.io.IOException {
            this.name = name;
            this.loaded = DataDirectory.resolve(dataRoot.resolve(name), mods).load();
            this.train = InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
            this.valid = InteractionDataSource.dataset(loaded.interactions(), Split.VALID);
            this.test = InteractionDataSource.dataset(loaded.interactions(), Split.TEST);
            this.coldItems = new ColdItems(train);
            if (valid.size() == 0 || test.size() == 0) {
                throw new IllegalArgumentException(loaded.layout().interFile() + ": the suite needs valid and test rows (x_label 1 and 2)");
            }
        }
    }

    private Path resultFile(String dataset, String model, long seed) {
        return out.resolve("runs").resolve(dataset).resolve(model + "-seed" + seed + ".json");
    }

    private RunResult run(SuiteData data, String model, long seed, int threads, PrintWriter o) throws Exception {
        Path file = resultFile(data.name, model, seed);
        if (Files.isRegularFile(file)) {
            RunResult r = new ObjectMapper().readValue(file.toFile(), RunResult.class);
            report(o, r, "reused");
            return r;
        }
        boolean crane = model.equals("CRANE");
        List<String> all = new ArrayList<>(sets);
        all.add("seed=" + seed);
        all.add("threads=" + threads);
        ItemFeatureSource features = crane ? data.loaded.features() : ItemFeatureSource.none();
        CraneTrainer trainer = TrainerFactory.create(config, all, features, true);
        long t0 = System.nanoTime();
        CraneModel m = trainer.train(data.train, data.valid);
        double secs = (System.nanoTime() - t0) / 1e9;
        RankingEvaluator ev = new RankingEvaluator();
        // the trainer scored the valid split at every epoch; the model is its best epoch's
        double validRecall = m.getHistory().stream().filter(e -> e.epoch() == m.getBestEpoch()).findFirst().orElseThrow().validRecall20();
        RunResult r = new RunResult(data.name, model, seed, validRecall, ev.evaluate(m, data.test).getMetrics(),
                part(ev, m, data.coldItems.rows(data.test, true)), part(ev, m, data.coldItems.rows(data.test, false)),
                m.getBestEpoch(), m.getHistory().size(), secs);
        Files.createDirectories(file.getParent());
        AtomicWrite.to(file, tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), r));
        report(o, r, "trained");
        return r;
    }

    private RunResult popularity(SuiteData data) {
        var in = data.loaded.interactions();
        int[][] train = in.itemsByUser(Split.TRAIN);
        int[][] test = in.itemsByUser(Split.TEST);
        PopularityScorer pop = new PopularityScorer(train, in.numItems());
        RankingEvaluator ev = new RankingEvaluator();
        int[][] valid = in.itemsByUser(Split.VALID);
        return new RunResult(data.name, "popularity", 0, ev.evaluate(pop, valid).means().get("Recall@20"), ev.evaluate(pop, test).means(),
                finite(ev.evaluate(pop, ColdItems.restrict(test, in.numItems(), train, true)).means()),
                finite(ev.evaluate(pop, ColdItems.restrict(test, in.numItems(), train, false)).means()), 0, 0, 0);
    }

    /** Metrics over part of the test rows; none when the part is empty (a dataset without cold items). */
    private static Map<String, Double> part(RankingEvaluator ev, CraneModel m, MutableDataset<ItemId> rows) {
        return rows.size() == 0 ? Map.of() : finite(ev.evaluate(m, rows).getMetrics());
    }

    private static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static synchronized void report(PrintWriter o, RunResult r, String how) {
        o.printf(Locale.ROOT, "%-20s %-9s seed %-5d %s: valid Recall@20 %.4f, test Recall@20 %.4f, NDCG@20 %.4f, best epoch %d of %d, %.0f s%n",
                r.dataset(), r.model(), r.seed(), how, r.validRecall20(), r.test().get("Recall@20"), r.test().get("NDCG@20"),
                r.bestEpoch(), r.epochs(), r.seconds());
        o.flush();
    }
}
