package org.crane.cli;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.CraneModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
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
        XYChart chart = new XYChartBuilder().width(900).height(520).title("Learning curves").xAxisTitle("epoch").yAxisTitle("value").build();
        chart.getStyler().setMarkerSize(3);
        chart.addSeries("training loss", x, loss).setMarker(SeriesMarkers.NONE);
        if (valid) {
            chart.addSeries("valid Recall@20", x, recall).setMarker(SeriesMarkers.NONE);
            chart.addSeries("valid NDCG@20", x, ndcg).setMarker(SeriesMarkers.NONE);
        }
        Path base = chartBase(model);
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);

        StringBuilder md = new StringBuilder();
        md.append("# CRANE run: ").append(model.getFileName()).append("\n\n");
        md.append("Data: ").append(dataSummary).append("\n\n");
        md.append(String.format(Locale.ROOT, "Best epoch %d of %d; %.1f s in all, %.2f s per epoch (with validation).%n%n",
                m.getBestEpoch(), h.size(), seconds, h.isEmpty() ? 0 : h.stream().mapToDouble(CraneModel.EpochRecord::seconds).average().orElse(0)));
        md.append("## Metrics\n\n| metric | valid | test |\n|---|---|---|\n");
        Map<String, Double> v = metrics.getOrDefault("valid", Map.of());
        Map<String, Double> t = metrics.getOrDefault("test", Map.of());
        for (String k : new java.util.TreeSet<>(t.keySet())) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |%n", k, v.getOrDefault(k, Double.NaN), t.get(k)));
        }
        md.append("\n## Learning curves\n\n![learning curves](").append(base.getFileName()).append(".png) ([SVG](")
                .append(base.getFileName()).append(".svg))\n\n## Configuration\n\n| field | value |\n|---|---|\n");
        Map<String, Object> cfg = new TreeMap<>(ProvenanceUtil.convertToMap(m.getProvenance().getTrainerProvenance()));
        for (Map.Entry<String, Object> e : cfg.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(String.valueOf(e.getValue()).replace("|", "\\|")).append(" |\n");
        }
        Files.writeString(reportPath(model), md.toString());
    }
}
