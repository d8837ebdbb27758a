package org.crane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.AtomicWrite;
import org.crane.data.DataDirectory;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import org.crane.tune.CraneTuner;
import org.crane.tune.SearchSpace;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code crane tune}: a hyper-parameter search chosen on the valid split. Every point is trained with
 * every seed and scored by a validation metric; the best mean wins. The test split is read only after
 * the choice, for the chosen point. Writes the trial table, the chosen configuration as OLCUT XML and
 * the chosen models, whose provenance records the search.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search trainer settings on the valid split (grid, or random points), choose the best mean validation "
                + "metric over seeds, then report the chosen point's test metrics; writes OUT/trials.md, OUT/trials.json, "
                + "OUT/chosen.xml and OUT/chosen-seedS.model.")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "MMRec folder: one .inter file and .npy/.npy.gz modalities.")
    Path data;
    @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz.")
    List<String> modalities = new ArrayList<>();
    @Option(names = "--no-modalities", description = "Tune LightGCN (no item modalities).")
    boolean noModalities;
    @Option(names = "--config", paramLabel = "BASE.xml", description = "OLCUT configuration every trial starts from (default: the trainer's defaults).")
    Path config;
    @Option(names = "--search", required = true, paramLabel = "field=values", description = "A searched field (repeatable): "
            + "v1,v2,... or uniform(a,b), loguniform(a,b), int(a,b).")
    List<String> search = new ArrayList<>();
    @Option(names = "--random", paramLabel = "N", description = "Try N random points (needed for continuous ranges); default: the whole grid.")
    int random;
    @Option(names = "--sampling-seed", paramLabel = "S", description = "Seed of the random points (default ${DEFAULT-VALUE}).")
    long samplingSeed = 1;
    @Option(names = "--set", paramLabel = "name=value", description = "Fix a trainer field for every trial (repeatable).")
    List<String> sets = new ArrayList<>();
    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Seeds every point is trained with (default ${DEFAULT-VALUE}).")
    List<Long> seeds = new ArrayList<>(List.of(999L, 1000L, 1001L));
    @Option(names = "--metric", paramLabel = "METRIC", description = "Validation metric chosen by (default ${DEFAULT-VALUE}).")
    String metric = "Recall@20";
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder for the results.")
    Path out;
    @Option(names = "--resume", description = "Continue the search whose results are in --out (killed before it ended): "
            + "finished trials are not trained again; the command line must define the same search.")
    boolean resume;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("data", data.toAbsolutePath().normalize().toString());
        definition.put("modalities", modalities);
        definition.put("no_modalities", noModalities);
        definition.put("config", config == null ? "" : config.toAbsolutePath().normalize().toString());
        definition.put("search", search);
        definition.put("random", random);
        definition.put("sampling_seed", samplingSeed);
        definition.put("set", sets);
        definition.put("seeds", seeds);
        definition.put("metric", metric);
        Path record = out.resolve("search.json");
        ObjectMapper mapper = new ObjectMapper();
        if (resume) {
            if (!Files.isRegularFile(record)) {
                throw new IllegalArgumentException("--resume: " + out + " holds no search to continue (no search.json)");
            }
            com.fasterxml.jackson.databind.JsonNode before = mapper.readTree(record.toFile());
            // through text, as the record was written: a tree built from the map keeps Java's number types
            if (!mapper.readTree(mapper.writeValueAsString(definition)).equals(before)) {
                throw new IllegalArgumentException("--resume: this command line defines another search than the one in " + out
                        + " (recorded: " + org.crane.data.Excerpt.of(before.toString(), 300) + ")");
            }
        } else {
            OutputGuard.emptyFolder("--out", out, false);
            Files.createDirectories(out);
            AtomicWrite.to(record, tmp -> mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), definition));
        }
        SearchSpace space = SearchSpace.parse(search);
        List<Map<String, String>> points = random > 0 ? space.random(random, samplingSeed) : space.grid();
        Map<String, String> fixed = TrainerFactory.parseSets(sets);
        DataDirectory layout = DataDirectory.resolve(data, modalities);
        if (noModalities) {
            layout = layout.withoutModalities();
        }
        DataDirectory.LoadedData loaded = layout.load();
        boolean replace = config == null || !modalities.isEmpty() || noModalities;
        CraneTuner tuner = new CraneTuner(values -> {
            try {
                return TrainerFactory.create(config, values, loaded.features(), replace, data);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }, fixed, seeds, metric);
        MutableDataset<ItemId> train = InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(loaded.interactions(), Split.VALID);
        if (valid.size() == 0) {
            throw new IllegalArgumentException(layout.interFile() + ": the valid split is empty; a search needs validation rows (x_label 1)");
        }
        Map<String, Provenance> searchProv = new LinkedHashMap<>();
        searchProv.put("tune-space", new StringProvenance("tune-space", String.join("; ", search)));
        searchProv.put("tune-points", new StringProvenance("tune-points", random > 0 ? random + " random (sampling seed " + samplingSeed + ")"
                : "grid of " + points.size()));
        searchProv.put("tune-seeds", new StringProvenance("tune-seeds", seeds.toString()));
        searchProv.put("tune-rule", new StringProvenance("tune-rule", "best mean validation " + metric
                + " over the seeds; test metrics computed after the choice, for the chosen point only"));
        o.printf(Locale.ROOT, "Tuning %d points x %d seeds on %s, choosing by validation %s%n", points.size(), seeds.size(), data, metric);
        o.flush();
        CraneTuner.Result r = tuner.search(points, train, valid, searchProv, new TrialFiles(out.resolve("trials")));

        TextTable table = new TextTable("rank", "trial", "valid " + metric + " mean", "std", "point");
        List<Map<String, Object>> json = new ArrayList<>();
        for (int k = 0; k < r.trials().size(); k++) {
            CraneTuner.Trial t = r.trials().get(k);
            table.row(k + 1, t.index() + 1, String.format(Locale.ROOT, "%.4f", t.mean()), String.format(Locale.ROOT, "%.4f", t.std()), t.point());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", t.index() + 1);
            row.put("point", t.point());
            row.put("valid_by_seed", t.validBySeed());
            row.put("valid_mean", t.mean());
            row.put("valid_std", t.std());
            json.add(row);
        }
        o.print(table.render());
        o.println("\nChosen: trial " + (r.chosen().index() + 1) + " " + r.chosen().point());

        // only now the test split: the chosen point's models, once
        MutableDataset<ItemId> test = InteractionDataSource.dataset(loaded.interactions(), Split.TEST);
        TextTable testTable = new TextTable("seed", "test Recall@20", "test NDCG@20");
        for (int s = 0; s < seeds.size(); s++) {
            CraneModel m = r.models().get(s);
            Map<String, Double> tm = new RankingEvaluator().evaluate(m, test).getMetrics();
            testTable.row(seeds.get(s), String.format(Locale.ROOT, "%.4f", tm.get("Recall@20")), String.format(Locale.ROOT, "%.4f", tm.get("NDCG@20")));
            ModelFiles.save(m, out.resolve("chosen-seed" + seeds.get(s) + ".model"));
        }
        o.print(testTable.render());
        StringBuilder md = new StringBuilder("# crane tune\n\nData: " + data.toAbsolutePath() + "; searched: " + String.join("; ", search)
                + "; fixed: " + fixed + "; seeds " + seeds + "; chosen by the mean validation " + metric + ".\n\n```\n");
        md.append(table.render()).append("```\n\nChosen: trial ").append(r.chosen().index() + 1).append(' ').append(r.chosen().point())
                .append(".\n\nTest, chosen point only (computed after the choice):\n\n```\n").append(testTable.render()).append("```\n");
        AtomicWrite.to(out.resolve("trials.md"), tmp -> Files.writeString(tmp, md));
        AtomicWrite.to(out.resolve("trials.json"), tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(),
                Map.of("metric", metric, "seeds", seeds, "chosen_trial", r.chosen().index() + 1, "trials", json)));
        Map<String, String> chosen = new LinkedHashMap<>(fixed);
        chosen.putAll(r.chosen().point());
        AtomicWrite.to(out.resolve("chosen.xml"), tmp -> Files.writeString(tmp, chosenXml(chosen)));
        o.println("\nWrote " + out.resolve("trials.md") + ", trials.json, chosen.xml and " + seeds.size() + " chosen models");
        return 0;
    }

    /** Each finished trial as {@code trials/trial-N.json}, written atomically when it ends. */
    private static final class TrialFiles implements CraneTuner.TrialStore {
        private final Path dir;
        private final ObjectMapper mapper = new ObjectMapper();

        TrialFiles(Path dir) {
            this.dir = dir;
        }

        private Path file(int index) {
            return dir.resolve("trial-" + (index + 1) + ".json");
        }

        @Override
        public double[] finished(int index, Map<String, String> point) {
            Path f = file(index);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode n = mapper.readTree(f.toFile());
                if (!mapper.valueToTree(point).equals(n.get("point")) || !n.get("valid_by_seed").isArray()) {
                    throw new IllegalArgumentException(f + ": records another point than trial " + (index + 1) + " of this search");
                }
                double[] scores = new double[n.get("valid_by_seed").size()];
                for (int k = 0; k < scores.length; k++) {
                    scores[k] = n.get("valid_by_seed").get(k).asDouble();
                }
                return scores;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(f + ": unreadable trial record (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public void finish(int index, Map<String, String> point, double[] scores) {
            try {
                Files.createDirectories(dir);
                AtomicWrite.to(file(index), tmp -> mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(),
                        Map.of("point", point, "valid_by_seed", scores)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The chosen fields as an OLCUT configuration with one trainer component (its features come from --data). */
    static String chosenXml(Map<String, String> values) {
        // (an XML comment may not hold a double dash, so the options are named without theirs)
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- chosen by crane tune: train with the "
                + "config option naming this file and the data option naming the folder -->\n<config>\n"
                + "    <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n");
        values.forEach((k, v) -> {
            if (org.crane.train.TrainerSettings.LIST_FIELDS.contains(k)) {
                x.append("        <propertylist name=\"").append(escape(k)).append("\">");
                for (String item : v.split(",")) {
                    x.append("<item>").append(escape(item.trim())).append("</item>");
                }
                x.append("</propertylist>\n");
            } else {
                x.append("        <property name=\"").append(escape(k)).append("\" value=\"").append(escape(v)).append("\"/>\n");
            }
        });
        return x.append("    </component>\n</config>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
