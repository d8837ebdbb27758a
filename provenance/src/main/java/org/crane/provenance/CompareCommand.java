package org.crane.provenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.CraneModel;
import org.crane.cli.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crane compare}: metrics side by side, then every provenance difference by path. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare saved models: valid and test metrics side by side, then every provenance difference by path "
                + "(trainer fields, data file hashes, sizes, versions, provider, seeds); identical sections collapsed.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "Two or more saved models.")
    List<Path> models;
    @Option(names = "--format", description = "text, md or json (default ${DEFAULT-VALUE}).")
    String format = "text";
    @Option(names = "--all", description = "Also list wall-clock fields (training time).")
    boolean all;
    @Spec
    CommandSpec spec;

    /** Used by picocli. */
    public CompareCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("text", "md", "json").contains(format)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be text, md or json, got '" + format + "'");
        }
        List<CraneModel> loaded = new ArrayList<>();
        List<Map<String, Map<String, Double>>> metrics = new ArrayList<>();
        for (Path p : models) {
            loaded.add(ModelFiles.load(p));
            metrics.add(ModelFiles.loadMetrics(p));
        }
        ProvenanceDiff diff = new ProvenanceDiff(loaded.stream().map(CraneModel::getProvenance).toList());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            names.add("M" + (i + 1));
        }
        List<String> metricRows = List.of("Recall@20", "NDCG@20", "Recall@10", "NDCG@10", "Recall@50", "NDCG@50");
        if (format.equals("json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("models", models.stream().map(Path::toString).toList());
            out.put("metrics", metrics);
            out.put("best_epochs", loaded.stream().map(CraneModel::getBestEpoch).toList());
            out.put("differences", diff.differences(all));
            out.put("identical_fields", diff.identicalCounts());
            spec.commandLine().getOut().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
        boolean md = format.equals("md");
        StringBuilder sb = new StringBuilder();
        sb.append(md ? "## Models\n\n" : "Models\n");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            CraneModel m = loaded.get(i);
            rows.add(List.of(names.get(i), models.get(i).toString(), Integer.toString(m.numUsers()), Integer.toString(m.numItems()),
                    Integer.toString(m.getBestEpoch())));
        }
        sb.append(Table.render(md, List.of("model", "file", "users", "items", "best epoch"), rows));
        sb.append(md ? "\n## Metrics\n\n" : "\nMetrics (from MODEL.metrics.json, written by crane train)\n");
        rows = new ArrayList<>();
        for (String split : List.of("test", "valid")) {
            for (String metric : metricRows) {
                List<String> row = new ArrayList<>();
                row.add(split + " " + metric);
                for (Map<String, Map<String, Double>> m : metrics) {
                    Double v = m.getOrDefault(split, Map.of()).get(metric);
                    row.add(v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v));
                }
                rows.add(row);
            }
        }
        List<String> header = new ArrayList<>();
        header.add("metric");
        header.addAll(names);
        sb.append(Table.render(md, header, rows));
        Map<String, List<String>> d = diff.differences(all);
        sb.append(md ? "\n## Provenance differences\n\n" : "\nProvenance differences (" + d.size() + " fields)\n");
        rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : d.entrySet()) {
            List<String> row = new ArrayList<>();
            row.add(e.getKey());
            row.addAll(e.getValue());
            rows.add(row);
        }
        List<String> dh = new ArrayList<>();
        dh.add("path");
        dh.addAll(names);
        sb.append(rows.isEmpty() ? "(none)\n" : Table.render(md, dh, rows));
        sb.append(md ? "\n" : "\n").append("Identical (collapsed): ");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : diff.identicalCounts().entrySet()) {
            parts.add(e.getKey() + " " + e.getValue() + " fields");
        }
        sb.append(String.join(", ", parts)).append('\n');
        spec.commandLine().getOut().print(sb);
        return 0;
    }
}
