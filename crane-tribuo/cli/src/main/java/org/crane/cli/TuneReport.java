package org.crane.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.data.AtomicWrite;
import org.crane.train.CraneModel;
import org.crane.train.TrainerSettings;
import org.crane.tune.CraneTuner;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code crane tune} writes: the trial table (text, Markdown, JSON), the chart and the chosen configuration. */
final class TuneReport {
    private final CraneTuner.Result result;

    TuneReport(CraneTuner.Result result) {
        this.result = result;
    }

    /** @return where a trial's scores come from: full training, or the epoch budget of a halving rung. */
    static String rungLabel(CraneTuner.Trial t, List<Integer> rungEpochs) {
        return t.full() ? "full" : "rung " + (t.rung() + 1) + " (" + rungEpochs.get(t.rung()) + " epochs)";
    }

    /** @return the trial table, best first. */
    TextTable table(List<Integer> rungEpochs) {
        TextTable table = new TextTable("rank", "trial", "valid " + result.metric() + " mean", "std", "trained", "point");
        for (int k = 0; k < result.trials().size(); k++) {
            CraneTuner.Trial t = result.trials().get(k);
            table.row(k + 1, t.index() + 1, String.format(Locale.ROOT, "%.4f", t.mean()), String.format(Locale.ROOT, "%.4f", t.std()),
                    rungLabel(t, rungEpochs), t.point());
        }
        return table;
    }

    /** @return the trials as JSON rows. */
    List<Map<String, Object>> json(List<Integer> rungEpochs) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (CraneTuner.Trial t : result.trials()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", t.index() + 1);
            row.put("point", t.point());
            row.put("trained", rungLabel(t, rungEpochs));
            row.put("valid_by_seed", t.validBySeed());
            row.put("valid_mean", t.mean());
            row.put("valid_std", t.std());
            json.add(row);
        }
        return json;
    }

    void writeJson(Path file, Map<String, Object> header, List<Integer> rungEpochs) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(header);
        all.put("chosen_trial", result.chosen().index() + 1);
        all.put("budget_spent", result.budgetSpent());
        all.put("trials", json(rungEpochs));
        AtomicWrite.to(file, tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all));
    }

    /**
     * One panel per searched field: each trial's mean validation score against its value of the field (values that
     * are not numbers are placed at their index in the order they first appear); full-training trials and
     * halving rungs are separate series.
     */
    void writeChart(Path file, List<String> fields, List<Integer> rungEpochs) throws IOException {
        int w = 520;
        int h = 380;
        BufferedImage all = new BufferedImage(w * Math.min(3, fields.size()), h * ((fields.size() + 2) / 3), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int f = 0; f < fields.size(); f++) {
            String field = fields.get(f);
            List<String> distinct = result.trials().stream().map(t -> t.point().get(field)).distinct().toList();
            boolean numeric = distinct.stream().allMatch(TuneReport::isNumber);
            XYChart chart = new XYChartBuilder().width(w).height(h).title(field)
                    .xAxisTitle(numeric ? field : field + " (value index)").yAxisTitle("valid " + result.metric()).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(7);
            chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(10f));
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (CraneTuner.Trial t : result.trials()) {
                String v = t.point().get(field);
                double x = numeric ? Double.parseDouble(v) : distinct.indexOf(v);
                series.computeIfAbsent(rungLabel(t, rungEpochs), k -> new ArrayList<>()).add(new double[]{x, t.mean()});
            }
            series.forEach((name, pts) -> chart.addSeries(name, pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray()));
            g.drawImage(BitmapEncoder.getBufferedImage(chart), (f % 3) * w, (f / 3) * h, null);
        }
        g.dispose();
        AtomicWrite.to(file, tmp -> {
            if (!ImageIO.write(all, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The chosen model's trainer as an OLCUT configuration: every field as its provenance records it (the base
     * configuration's, the fixed and searched ones, the threads share), the first seed, and its item features with
     * files under the data folder written as {@code ${data}/...} (the data option sets it).
     */
    static String chosenXml(CraneModel model, Path data) {
        Map<String, Object> params = ProvenanceUtil.convertToMap(model.getProvenance().getTrainerProvenance());
        String dataDir = data.toAbsolutePath().normalize().toString();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- chosen by crane tune: train with the "
                + "config option naming this file and the data option naming the folder -->\n<config>\n");
        x.append("    <property name=\"data\" value=\"").append(escape(dataDir)).append("\"/>\n");
        List<String> modalities = new ArrayList<>();
        if (params.get("itemFeatures") instanceof Map<?, ?> features && features.get("modalities") instanceof List<?> list) {
            for (Object item : list) {
                String spec = String.valueOf(item);
                int eq = spec.indexOf('=');
                String file = spec.substring(eq + 1);
                if (file.startsWith(dataDir + java.io.File.separator)) {
                    file = "${data}" + file.substring(dataDir.length());
                }
                modalities.add(spec.substring(0, eq + 1) + file);
            }
        }
        if (!modalities.isEmpty()) {
            x.append("    <component name=\"features\" type=\"org.crane.data.ItemFeatureSource\">\n        <propertylist name=\"modalities\">");
            modalities.forEach(m -> x.append("<item>").append(escape(m)).append("</item>"));
            x.append("</propertylist>\n    </component>\n");
            x.append("    <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n");
            x.append("        <property name=\"itemFeatures\" value=\"features\"/>\n");
        } else {
            x.append("    <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n");
        }
        new java.util.TreeMap<>(params).forEach((k, v) -> {
            if (!TrainerSettings.FIELDS.contains(k) || v instanceof Map) {
                return;   // not a field, or a component (the item features above)
            }
            if (v instanceof List<?> l) {
                x.append("        <propertylist name=\"").append(escape(k)).append("\">");
                l.forEach(item -> x.append("<item>").append(escape(String.valueOf(item))).append("</item>"));
                x.append("</propertylist>\n");
            } else {
                x.append("        <property name=\"").append(escape(k)).append("\" value=\"").append(escape(String.valueOf(v))).append("\"/>\n");
            }
        });
        return x.append("    </component>\n</config>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
