package org.crane.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The suite's summary: mean and sample standard deviation over seeds, per dataset and model. */
final class SuiteTable {
    static final List<String> MODELS = List.of("CRANE", "LightGCN", "popularity");
    private final List<String> datasets;
    private final List<SuiteCommand.RunResult> runs;

    SuiteTable(List<String> datasets, List<SuiteCommand.RunResult> runs) {
        this.datasets = datasets;
        this.runs = runs;
    }

    /** Mean and sample standard deviation (0 for one value; NaN for none). */
    record Stat(double mean, double std, int n) {
        static Stat of(List<Double> v) {
            int n = v.size();
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
            return new Stat(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : n == 1 ? 0 : Double.NaN, n);
        }

        String render() {
            return n == 0 ? "-" : n == 1 ? String.format(Locale.ROOT, "%.4f", mean) : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
        }
    }

    Stat stat(String dataset, String model, java.util.function.Function<SuiteCommand.RunResult, Double> metric) {
        List<Double> v = new ArrayList<>();
        for (SuiteCommand.RunResult r : runs) {
            if (r.dataset().equals(dataset) && r.model().equals(model)) {
                Double x = metric.apply(r);
                if (x != null && Double.isFinite(x)) {
                    v.add(x);
                }
            }
        }
        return Stat.of(v);
    }

    private Stat test(String d, String m, String metric) {
        return stat(d, m, r -> r.test().get(metric));
    }

    private Stat cold(String d, String m) {
        return stat(d, m, r -> r.cold().get("Recall@20"));
    }

    private Stat epochs(String d, String m) {
        return stat(d, m, r -> (double) r.bestEpoch());
    }

    String markdown(List<Long> seeds, List<String> oneSeed) {
        StringBuilder sb = new StringBuilder();
        sb.append("| dataset | CRANE Recall@20 | LightGCN Recall@20 | CRANE / LightGCN | popularity Recall@20 | CRANE NDCG@20 "
                + "| LightGCN NDCG@20 | popularity NDCG@20 | cold-item Recall@20 CRANE / LightGCN / popularity | best epoch CRANE / LightGCN |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String d : datasets) {
            Stat c = test(d, "CRANE", "Recall@20");
            Stat l = test(d, "LightGCN", "Recall@20");
            sb.append("| ").append(d).append(" | ").append(c.render()).append(" | ").append(l.render())
                    .append(String.format(Locale.ROOT, " | %.3f | ", c.mean() / l.mean()))
                    .append(test(d, "popularity", "Recall@20").render()).append(" | ")
                    .append(test(d, "CRANE", "NDCG@20").render()).append(" | ").append(test(d, "LightGCN", "NDCG@20").render()).append(" | ")
                    .append(test(d, "popularity", "NDCG@20").render()).append(" | ")
                    .append(cold(d, "CRANE").render()).append(" / ").append(cold(d, "LightGCN").render()).append(" / ")
                    .append(cold(d, "popularity").render()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f / %.0f", epochs(d, "CRANE").mean(), epochs(d, "LightGCN").mean())).append(" |\n");
        }
        sb.append("\nTest metrics at each run's best validation epoch; mean ± sample standard deviation over seeds ")
                .append(seeds).append(oneSeed.isEmpty() ? "" : " (one seed, " + seeds.get(0) + ", for " + String.join(", ", oneSeed) + ")")
                .append(". Cold rows: test rows whose item has no training interaction (\"-\": none in the data).\n");
        return sb.toString();
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String d : datasets) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String m : MODELS) {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("Recall@20", test(d, m, "Recall@20"));
                cell.put("NDCG@20", test(d, m, "NDCG@20"));
                cell.put("coldRecall@20", cold(d, m));
                cell.put("warmRecall@20", stat(d, m, r -> r.warm().get("Recall@20")));
                cell.put("bestEpoch", epochs(d, m));
                row.put(m, cell);
            }
            row.put("ratioRecall@20", test(d, "CRANE", "Recall@20").mean() / test(d, "LightGCN", "Recall@20").mean());
            out.put(d, row);
        }
        return out;
    }

    void chart(Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title("Test Recall@20 (mean over seeds, std as error bars)")
                .xAxisTitle("dataset").yAxisTitle("Recall@20").build();
        for (String m : MODELS) {
            List<Double> means = new ArrayList<>();
            List<Double> stds = new ArrayList<>();
            for (String d : datasets) {
                Stat s = test(d, m, "Recall@20");
                means.add(Double.isFinite(s.mean()) ? s.mean() : 0.0);
                stds.add(Double.isFinite(s.std()) ? s.std() : 0.0);
            }
            chart.addSeries(m, datasets, means, stds);
        }
        java.nio.file.Files.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));   // png: AtomicWrite's temporary file
    }
}
