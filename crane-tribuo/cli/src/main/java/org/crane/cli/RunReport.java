package org.crane.cli;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.train.CraneModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code crane train} writes beside a model: the learning curves (training loss; validation
 * Recall@20 and NDCG@20 per epoch) as PNG and SVG, and a Markdown run report.
 */
final class RunReport {
    private RunReport() {
    }

    /** Metric names in the evaluator's order (Recall, NDCG, Precision, MAP, HitRate), then K as a number. */
    static final java.util.Comparator<String> METRIC_ORDER = java.util.Comparator
            .comparingInt((String k) -> {
                int i = java.util.Arrays.asList(org.crane.RankingMetrics.NAMES).indexOf(k.contains("@") ? k.substring(0, k.indexOf('@')) : k);
                return i < 0 ? Integer.MAX_VALUE : i;
            })
            .thenComparingInt(k -> {
                try {
                    return k.contains("@") ? Integer.parseInt(k.substring(k.indexOf('@') + 1)) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            })
            .thenComparing(java.util.Comparator.naturalOrder());

    /** Provenance bookkeeping that is not configuration, dropped from nested values (e.g. the item features' provenance). */
    private static final java.util.Set<String> BOOKKEEPING = java.util.Set.of("host-short-name", "class-name", "is-sequence",
            "train-invocation-count");

    private static Object withoutBookkeeping(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!BOOKKEEPING.contains(String.valueOf(e.getKey()))) {
                    out.put(e.getKey(), withoutBookkeeping(e.getValue()));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RunReport::withoutBookkeeping).toList();
        }
        return value;
    }

    static Path chartBase(Path model) {
        return model.resolveSibling(model.getFileName() + ".curve");
    }

    static Path reportPath(Path model) {
        return model.resolveSibling(model.getFileName() + ".report.md");
    }

    static void write(Path model, CraneModel m, String dataSummary, Map<String, Map<String, Double>> metrics, double seconds) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CraneModel.EpochRecord> h = m.getHistory();
        double[] x = new double[h.size()];
        double[] loss = new double[h.size()];
        double[] recall = new double[h.size()];
        double[] ndcg = new double[h.size()];
        boolean valid = false;
        for (int i = 0; i < h.size(); i++) {
            x[i] = h.get(i).epoch();
            loss[i] = h.get(i).loss();
            recall[i] = h.get(i).validRecall20();
            ndcg[i] = h.get(i).validNdcg20();
            valid |= !Double.isNaN(recall[i]);
        }
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Learning curves").xAxisTitle("epoch").build();
        chart.getStyler().setMarkerSize(3);
        // the loss on the left axis, the validation metrics on the right: their scales differ
        chart.addSeries("training loss", x, loss).setMarker(SeriesMarkers.NONE).setYAxisGroup(0);
        chart.setYAxisGroupTitle(0, "training loss");
        if (valid) {
            chart.addSeries("valid Recall@20", x, recall).setMarker(SeriesMarkers.NONE).setYAxisGroup(1);
            chart.addSeries("valid NDCG@20", x, ndcg).setMarker(SeriesMarkers.NONE).setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "validation metric");
            chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
            chart.addAnnotation(new org.knowm.xchart.AnnotationLine(m.getBestEpoch(), true, false));
            chart.addAnnotation(new org.knowm.xchart.AnnotationText("best epoch " + m.getBestEpoch(), m.getBestEpoch(),
                    java.util.Arrays.stream(loss).max().orElse(1), false));
        }
        Path base = chartBase(model);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        org.crane.data.AtomicWrite.to(base.resolveSibling(base.getFileName() + ".png"), tmp -> Files.write(tmp, png));

        StringBuilder md = new StringBuilder();
        md.append("# CRANE run: ").append(model.getFileName()).append("\n\n");
        md.append("Data: ").append(dataSummary).append("\n\n");
        md.append(String.format(Locale.ROOT, "Best epoch %d of %d; %.1f s in all, %.2f s per epoch (with validation).%n%n",
                m.getBestEpoch(), h.size(), seconds, h.isEmpty() ? 0 : h.stream().mapToDouble(CraneModel.EpochRecord::seconds).average().orElse(0)));
        md.append("## Metrics\n\n| metric | valid | test |\n|---|---|---|\n");
        Map<String, Double> v = metrics.getOrDefault("valid", Map.of());
        Map<String, Double> t = metrics.getOrDefault("test", Map.of());
        java.util.List<String> keys = new java.util.ArrayList<>(t.keySet());
        keys.sort(METRIC_ORDER);
        for (String k : keys) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |%n", k, v.getOrDefault(k, Double.NaN), t.get(k)));
        }
        md.append("\n## Learning curves\n\n![learning curves](").append(base.getFileName())
                .append(".png)\n\n## Configuration\n\n| field | value |\n|---|---|\n");
        Map<String, Object> cfg = new TreeMap<>(ProvenanceUtil.convertToMap(m.getProvenance().getTrainerProvenance()));
        // the trainer's configured fields only, not provenance bookkeeping (host name, invocation count, ...)
        cfg.keySet().retainAll(org.crane.train.TrainerSettings.FIELDS);
        for (Map.Entry<String, Object> e : cfg.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(String.valueOf(withoutBookkeeping(e.getValue())).replace("|", "\\|")).append(" |\n");
        }
        org.crane.data.AtomicWrite.to(reportPath(model), tmp -> Files.writeString(tmp, md.toString()));
    }
}
