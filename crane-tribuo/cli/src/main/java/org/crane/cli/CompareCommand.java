package org.crane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.cli.TextTable;
import org.crane.provenance.ProvenanceDiff;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
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
    @Option(names = "--report", paramLabel = "FILE.md", description = "Also write a Markdown comparison report, with a chart of the models' metrics (FILE.png).")
    Path report;
    @Spec
    CommandSpec spec;

    /** Used by picocli. */
    public CompareCommand() {
    }

    private void writeReport(List<CraneModel> loaded, List<Map<String, Map<String, Double>>> metrics, List<String> names,
                             ProvenanceDiff diff) throws java.io.IOException {
        System.setProperty("java.awt.headless", "true");
        java.nio.file.Files.createDirectories(report.toAbsolutePath().getParent());
        List<String> keys = List.of("Recall@10", "NDCG@10", "Recall@20", "NDCG@20", "Recall@50", "NDCG@50");
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(900).height(500)
                .title("Test metrics").xAxisTitle("metric").yAxisTitle("value").build();
        for (int i = 0; i < names.size(); i++) {
            List<Double> ys = new ArrayList<>();
            for (String k : keys) {
                ys.add(metrics.get(i).getOrDefault("test", Map.of()).getOrDefault(k, 0.0));
            }
            chart.addSeries(names.get(i) + ": " + models.get(i).getFileName(), keys, ys);   // the legend names the files
        }
        String base = report.toString().endsWith(".md") ? report.toString().substring(0, report.toString().length() - 3) : report.toString();
        for (Path written : List.of(report, Path.of(base + ".png"))) {
            org.crane.cli.OutputGuard.file("--report", written, models);
        }
        org.crane.data.AtomicWrite.to(Path.of(base + ".png"), tmp -> java.nio.file.Files.write(tmp,
                org.knowm.xchart.BitmapEncoder.getBitmapBytes(chart, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG)));
        StringBuilder md = new StringBuilder("# Model comparison\n\n");
        for (int i = 0; i < names.size(); i++) {
            md.append("- ").append(names.get(i)).append(": `").append(models.get(i)).append("` (best epoch ")
                    .append(loaded.get(i).getBestEpoch()).append(")\n");
        }
        md.append("\n![test metrics](").append(Path.of(base).getFileName()).append(".png)\n\n");
        md.append(render(true, loaded, metrics, names, diff));
        org.crane.data.AtomicWrite.to(report, tmp -> java.nio.file.Files.writeString(tmp, md.toString()));
        spec.commandLine().getOut().println("Wrote " + report + " and " + base + ".png");
    }

    private String render(boolean md, List<CraneModel> loaded, List<Map<String, Map<String, Double>>> metrics, List<String> names,
                          ProvenanceDiff diff) {
        List<String> metricRows = List.of("Recall@20", "NDCG@20", "Recall@10", "NDCG@10", "Recall@50", "NDCG@50");
        StringBuilder sb = new StringBuilder();
        sb.append(md ? "## Models\n\n" : "Models\n");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            CraneModel m = loaded.get(i);
            rows.add(List.of(names.get(i), models.get(i).toString(), Integer.toString(m.numUsers()), Integer.toString(m.numItems()),
                    Integer.toString(m.getBestEpoch())));
        }
        sb.append(TextTable.render(md, List.of("model", "file", "users", "items", "best epoch"), rows));
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
        sb.append(TextTable.render(md, header, rows));
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
        sb.append(rows.isEmpty() ? "(none)\n" : TextTable.render(md, dh, rows));
        sb.append(md ? "\n" : "\n").append("Identical (collapsed): ");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : diff.identicalCounts().entrySet()) {
            parts.add(e.getKey() + " " + e.getValue() + " fields");
        }
        sb.append(String.join(", ", parts)).append('\n');
        return sb.toString();
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
        spec.commandLine().getOut().print(render(format.equals("md"), loaded, metrics, names, diff));
        if (report != null) {
            writeReport(loaded, metrics, names, diff);
        }
        return 0;
    }
}
