package org.crane.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns: numbers right-aligned, text left-aligned. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    TextTable(String... header) {
        this.header = header;
    }

    TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("Row has " + cells.length + " cells, header has " + header.length);
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    String render() {
        int[] w = new int[header.length];
        boolean[] numeric = new boolean[header.length];
        for (int c = 0; c < header.length; c++) {
            w[c] = header[c].length();
            numeric[c] = !rows.isEmpty();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
                numeric[c] &= r[c].matches("-?[0-9.,%eE+-]+|NaN|n/a");
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w, numeric);
        for (int c = 0; c < header.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        sb.append('\n');
        for (String[] r : rows) {
            line(sb, r, w, numeric);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] w, boolean[] numeric) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                l.append("  ");
            }
            String pad = " ".repeat(w[c] - cells[c].length());
            l.append(numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
