package org.crane.provenance;

import java.util.List;

/** Renders rows as an aligned text table or a Markdown table. */
final class Table {
    private Table() {
    }

    static String render(boolean markdown, List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        if (markdown) {
            sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
            for (int c = 0; c < header.size(); c++) {
                sb.append("---|");
            }
            sb.append('\n');
            for (List<String> r : rows) {
                sb.append("| ").append(String.join(" | ", r.stream().map(s -> s.replace("|", "\\|")).toList())).append(" |\n");
            }
            return sb.toString();
        }
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = header.get(c).length();
            for (List<String> r : rows) {
                w[c] = Math.max(w[c], r.get(c).length());
            }
        }
        line(sb, header, w);
        for (int c = 0; c < w.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, w);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            l.append(c == 0 ? "" : "  ").append(cells.get(c)).append(" ".repeat(w[c] - cells.get(c).length()));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
