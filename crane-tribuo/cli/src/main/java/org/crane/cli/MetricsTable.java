package org.crane.cli;

import org.crane.RankingMetrics;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Renders metric maps ("Recall@20" to value) as a table: one row per metric, one column per K. */
final class MetricsTable {
    private MetricsTable() {
    }

    static String render(String title, Map<String, Double> metrics) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (String k : metrics.keySet()) {
            ks.add(Integer.parseInt(k.substring(k.indexOf('@') + 1)));
        }
        String[] header = new String[ks.size() + 1];
        header[0] = title;
        int c = 1;
        for (int k : ks) {
            header[c++] = "@" + k;
        }
        TextTable t = new TextTable(header);
        for (String name : RankingMetrics.NAMES) {
            Object[] row = new Object[header.length];
            row[0] = name;
            c = 1;
            for (int k : ks) {
                Double v = metrics.get(name + "@" + k);
                row[c++] = v == null ? "n/a" : format(v);
            }
            t.row(row);
        }
        return t.render();
    }

    /**
     * @param v a metric value.
     * @return it with four decimals, as every metric table prints it.
     */
    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
