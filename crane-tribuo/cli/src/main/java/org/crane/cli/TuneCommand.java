package org.crane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.AtomicWrite;
import org.crane.data.DataDirectory;
import org.crane.data.Excerpt;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import org.crane.tune.CraneTuner;
import org.crane.tune.Halving;
import org.crane.tune.SearchSpace;
import org.crane.tune.SpaceConfig;
import org.crane.tune.TrialDirectory;
import org.crane.tune.TuneProgress;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code crane tune}: a hyper-parameter search chosen on the valid split. Every point is trained with
 * every seed (with successive halving, the better points at rising epoch budgets) and scored by a
 * validation metric; the best mean wins. The test split is read only after the choice, for the chosen
 * point. Writes the trial table, a chart, the chosen configuration as OLCUT XML and the chosen models,
 * whose provenance records the search.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search trainer settings on the valid split (grid, or random points; optionally successive halving), choose "
                + "the best mean validation metric over seeds, then report the chosen point's test metrics; writes OUT/trials.md, "
                + "OUT/trials.json, OUT/trials.png, OUT/chosen.xml and OUT/chosen-seedS.model.")
final class TuneCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Option(names = "--data", required = true, description = "MMRec folder: one .inter file and .npy/.npy.gz modalities.")
    Path data;
    @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz.")
    List<String> modalities = new ArrayList<>();
    @Option(names = "--no-modalities", description = "Tune LightGCN (no item modalities).")
    boolean noModalities;
    @Option(names = "--config", paramLabel = "BASE.xml", description = "OLCUT configuration every trial starts from (default: the trainer's defaults).")
    Path config;
    @Option(names = {"--search", "--grid"}, paramLabel = "field=values", description = "A searched field (repeatable): "
            + "v1,v2,... or uniform(a,b), loguniform(a,b), int(a,b).")
    List<String> search = new ArrayList<>();
    @Option(names = "--space", paramLabel = "SPACE.xml", description = "The search as an OLCUT file (a org.crane.tune.SpaceConfig component: "
            + "search entries, random, samplingSeed, halving, eta); the command line's options come on top.")
    Path spaceFile;
    @Option(names = "--random", paramLabel = "N", description = "Try N random points (needed for continuous ranges); default: the whole grid.")
    Integer random;
    @Option(names = "--sampling-seed", paramLabel = "S", description = "Seed of the random points (default 1).")
    Long samplingSeed;
    @Option(names = "--halving", split = ",", paramLabel = "EPOCHS", description = "Successive halving: rising epoch budgets before full "
            + "training, e.g. 20,60; at each the better 1/eta of the points go on (from their checkpoints).")
    List<Integer> halving;
    @Option(names = "--eta", paramLabel = "ETA", description = "Halving's reduction factor (default 2: the weaker half stops).")
    Integer eta;
    @Option(names = "--parallel", paramLabel = "P", description = "Runs trained at once, each with cores/P threads (default ${DEFAULT-VALUE}).")
    int parallel = 1;
    @Option(names = "--budget", paramLabel = "TIME", description = "Start no run after this wall-clock time, e.g. 2h, 90m, 1h30m; "
            + "the choice is then made among the points furthest trained.")
    String budget;
    @Option(names = "--set", paramLabel = "name=value", description = "Fix a trainer field for every trial (repeatable).")
    List<String> sets = new ArrayList<>();
    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Seeds every point is trained with (default ${DEFAULT-VALUE}).")
    List<Long> seeds = new ArrayList<>(List.of(999L, 1000L, 1001L));
    @Option(names = "--metric", paramLabel = "METRIC", description = "Validation metric chosen by (default ${DEFAULT-VALUE}).")
    String metric = "Recall@20";
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder for the results.")
    Path out;
    @Option(names = "--resume", description = "Continue the search whose results are in --out (killed before it ended): "
            + "finished runs are not trained again, cut ones continue from their checkpoints; the command line must define the same search.")
    boolean resume;
    @Spec
    CommandSpec spec;

    static Duration parseBudget(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("--budget '" + Excerpt.of(text) + "' is not a time such as 2h, 90m, 1h30m or 600s");
        }
        long s = 0;
        for (int g = 1; g <= 3; g++) {
            if (m.group(g) != null) {
                if (m.group(g).length() > 7) {
                    throw new IllegalArgumentException("--budget '" + Excerpt.of(text) + "' is too long a time");
                }
                s += Long.parseLong(m.group(g)) * (g == 1 ? 3600 : g == 2 ? 60 : 1);
            }
        }
        if (s == 0) {
            throw new IllegalArgumentException("--budget must be more than no time");
        }
        return Duration.ofSeconds(s);
    }

    private SpaceConfig loadSpace() throws Exception {
        if (!Files.isRegularFile(spaceFile)) {
            throw new NoSuchFileException(spaceFile.toString(), null, "search space file not found");
        }
        ConfigFileGuard.check(spaceFile);
        try {
            Map<String, SpaceConfig> all = new ConfigurationManager(spaceFile.toString()).lookupAllMap(SpaceConfig.class);
            if (all.size() != 1) {
                throw new IllegalArgumentException("expected exactly one org.crane.tune.SpaceConfig component, found " + all.size());
            }
            return all.values().iterator().next();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(spaceFile + ": " + Excerpt.of(String.valueOf(e.getMessage()), 300), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        SpaceConfig file = spaceFile == null ? null : loadSpace();
        List<String> entries = new ArrayList<>(file == null ? List.of() : file.search());
        entries.addAll(search);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("Nothing to search: give --search field=values or --space SPACE.xml");
        }
        int randomPoints = random != null ? random : file == null ? 0 : file.random();
        long sampling = samplingSeed != null ? samplingSeed : file == null ? 1 : file.samplingSeed();
        Halving fromFile = file == null ? Halving.NONE : file.halving();
        Halving schedule = new Halving(halving != null ? halving : fromFile.rungEpochs(), eta != null ? eta : fromFile.eta());
        Duration timeBudget = budget == null ? null : parseBudget(budget);
        if (randomPoints < 0) {
            throw new IllegalArgumentException("--random must be >= 0, got " + randomPoints);
        }

        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("data", data.toAbsolutePath().normalize().toString());
        definition.put("modalities", modalities);
        definition.put("no_modalities", noModalities);
        definition.put("config", config == null ? "" : config.toAbsolutePath().normalize().toString());
        definition.put("search", entries);
        definition.put("random", randomPoints);
        definition.put("sampling_seed", sampling);
        definition.put("halving", schedule.rungEpochs());
        definition.put("eta", schedule.eta());
        definition.put("parallel", parallel);
        definition.put("set", sets);
        definition.put("seeds", seeds);
        definition.put("metric", metric);
        checkOrRecord(definition);

        SearchSpace space = SearchSpace.parse(entries);
        List<Map<String, String>> points = randomPoints > 0 ? space.random(randomPoints, sampling) : space.grid();
        Map<String, String> fixed = TrainerFactory.parseSets(sets);
        DataDirectory layout = DataDirectory.resolve(data, modalities);
        if (noModalities) {
            layout = layout.withoutModalities();
        }
        DataDirectory.LoadedData loaded = layout.load();
        boolean replace = TrainerFactory.replacesFeatures(config, modalities, noModalities);
        CraneTuner tuner = new CraneTuner(values -> {
            try {
                return TrainerFactory.create(config, values, loaded.features(), replace, data);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, fixed, seeds, metric).withHalving(schedule).withParallel(parallel).withProgress(progress(o));
        if (timeBudget != null) {
            tuner = tuner.withBudget(timeBudget);
        }
        MutableDataset<ItemId> train = InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(loaded.interactions(), Split.VALID);
        if (valid.size() == 0) {
            throw new IllegalArgumentException(layout.interFile() + ": the valid split is empty; a search needs validation rows (x_label 1)");
        }
        String pointsText = randomPoints > 0 ? randomPoints + " random (sampling seed " + sampling + ")" : "grid of " + points.size();
        Map<String, Provenance> searchProv = new LinkedHashMap<>();
        searchProv.put("tune-space", new StringProvenance("tune-space", String.join("; ", entries)));
        searchProv.put("tune-points", new StringProvenance("tune-points", pointsText));
        searchProv.put("tune-seeds", new StringProvenance("tune-seeds", seeds.toString()));
        searchProv.put("tune-schedule", new StringProvenance("tune-schedule", schedule + "; " + parallel + " at once"));
        searchProv.put("tune-budget", new StringProvenance("tune-budget", timeBudget == null ? "none" : timeBudget.toString()));
        searchProv.put("tune-rule", new StringProvenance("tune-rule", "best mean validation " + metric
                + " over the seeds at the furthest rung; test metrics computed after the choice, for the chosen point only"));
        o.printf(Locale.ROOT, "Tuning %d points x %d seeds on %s, choosing by validation %s; %s%s%n", points.size(), seeds.size(), data,
                metric, schedule, timeBudget == null ? "" : "; budget " + budget);
        o.flush();
        CraneTuner.Result r = tuner.search(points, train, valid, searchProv, new TrialDirectory(out.resolve("trials")));
        report(o, r, space, fixed, entries, pointsText, schedule, timeBudget, loaded);
        return 0;
    }

    /** A new search records its definition; a resumed one must match it. */
    private void checkOrRecord(Map<String, Object> definition) throws java.io.IOException {
        Path record = out.resolve("search.json");
        ObjectMapper mapper = new ObjectMapper();
        if (resume) {
            if (!Files.isRegularFile(record)) {
                throw new IllegalArgumentException("--resume: " + out + " holds no search to continue (no search.json)");
            }
            if (Files.size(record) > 1 << 20) {
                throw new IllegalArgumentException(record + ": " + Files.size(record) + " bytes, more than a search definition holds");
            }
            com.fasterxml.jackson.databind.JsonNode before = mapper.readTree(record.toFile());
            // through text, as the record was written: a tree built from the map keeps Java's number types
            if (!mapper.readTree(mapper.writeValueAsString(definition)).equals(before)) {
                throw new IllegalArgumentException("--resume: this command line defines another search than the one in " + out
                        + " (recorded: " + Excerpt.of(String.valueOf(before), 300) + ")");
            }
        } else {
            OutputGuard.emptyFolder("--out", out, false);
            Files.createDirectories(out);
            AtomicWrite.to(record, tmp -> mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), definition));
        }
    }

    /** One line per finished run: runs done, rung, best so far, elapsed time and an estimate of the time left. */
    private static TuneProgress.Listener progress(PrintWriter o) {
        return p -> {
            o.printf(Locale.ROOT, "[%d/%d runs] rung %d; best so far %s; %s elapsed, ETA %s%n", p.runsDone(), p.runsPlanned(), p.rung() + 1,
                    p.bestTrial() < 0 ? "none yet" : String.format(Locale.ROOT, "trial %d at %.4f", p.bestTrial() + 1, p.bestMean()),
                    time(p.elapsedSeconds()), Double.isNaN(p.etaSeconds()) ? "unknown" : "~" + time(p.etaSeconds()));
            o.flush();
        };
    }

    private static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private void report(PrintWriter o, CraneTuner.Result r, SearchSpace space, Map<String, String> fixed, List<String> entries,
                        String pointsText, Halving schedule, Duration timeBudget, DataDirectory.LoadedData loaded) throws Exception {
        TuneReport report = new TuneReport(r);
        TextTable table = report.table(schedule.rungEpochs());
        o.print(table.render());
        o.println("\nChosen: trial " + (r.chosen().index() + 1) + " " + r.chosen().point()
                + (r.budgetSpent() ? " (the time budget ended the search before its schedule)" : ""));

        // only now the test split: the chosen point's models, once
        MutableDataset<ItemId> test = InteractionDataSource.dataset(loaded.interactions(), Split.TEST);
        TextTable testTable = new TextTable("seed", "test Recall@20", "test NDCG@20");
        double[] recalls = new double[seeds.size()];
        for (int s = 0; s < seeds.size(); s++) {
            CraneModel m = r.models().get(s);
            Map<String, Double> tm = new RankingEvaluator().evaluate(m, test).getMetrics();
            recalls[s] = tm.get("Recall@20");
            testTable.row(seeds.get(s), String.format(Locale.ROOT, "%.4f", tm.get("Recall@20")), String.format(Locale.ROOT, "%.4f", tm.get("NDCG@20")));
            ModelFiles.save(m, out.resolve("chosen-seed" + seeds.get(s) + ".model"));
        }
        String testMean = seeds.size() < 2 ? "" : String.format(Locale.ROOT, "test Recall@20 mean %.4f +- %.4f (sample std over %d seeds)%n",
                mean(recalls), std(recalls), seeds.size());
        o.print(testTable.render());
        o.print(testMean);
        List<String> fields = space.dimensions().stream().map(SearchSpace.Dimension::field).toList();
        report.writeChart(out.resolve("trials.png"), fields, schedule.rungEpochs());
        StringBuilder md = new StringBuilder("# crane tune\n\nData: " + data.toAbsolutePath() + "; searched: " + String.join("; ", entries)
                + " (" + pointsText + "); fixed: " + fixed + "; seeds " + seeds + "; " + schedule + ", " + parallel + " at once; budget "
                + (timeBudget == null ? "none" : budget) + (r.budgetSpent() ? " (spent before the schedule ended)" : "")
                + "; chosen by the mean validation " + metric + ".\n\n```\n");
        md.append(table.render()).append("```\n\nChosen: trial ").append(r.chosen().index() + 1).append(' ').append(r.chosen().point())
                .append(".\n\n![validation score against each searched field](trials.png)\n\nTest, chosen point only (computed after the choice):\n\n```\n")
                .append(testTable.render()).append("```\n\n").append(testMean);
        AtomicWrite.to(out.resolve("trials.md"), tmp -> Files.writeString(tmp, md));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("metric", metric);
        header.put("seeds", seeds);
        header.put("schedule", schedule.toString());
        report.writeJson(out.resolve("trials.json"), header, schedule.rungEpochs());
        AtomicWrite.to(out.resolve("chosen.xml"), tmp -> Files.writeString(tmp, TuneReport.chosenXml(r.models().get(0), data)));
        o.println("\nWrote " + out.resolve("trials.md") + ", trials.json, trials.png, chosen.xml and " + seeds.size() + " chosen models");
    }

    private static double mean(double[] a) {
        return java.util.Arrays.stream(a).average().orElse(Double.NaN);
    }

    private static double std(double[] a) {
        double m = mean(a);
        return Math.sqrt(java.util.Arrays.stream(a).map(x -> (x - m) * (x - m)).sum() / (a.length - 1));
    }
}
