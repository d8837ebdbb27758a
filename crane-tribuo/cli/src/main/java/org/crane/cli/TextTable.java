package org.crane.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for command output: plain text with aligned columns (numbers right-aligned, text
 * left-aligned), or Markdown.
 */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final String[] header;

    /**
     * @param header the column names.
     */
    public TextTable(String... header) {
        this.header = header;
    }

    /**
     * @param markdown Markdown instead of aligned text.
     * @param header the column names.
     * @param rows the rows, each as long as the header.
     * @return the rendered table.
     */
    public static String render(boolean markdown, List<String> header, List<List<String>> rows) {
        TextTable t = new TextTable(header.toArray(new String[0]));
        for (List<String> r : rows) {
            t.row(r.toArray());
        }
        return markdown ? t.renderMarkdown() : t.render();
    }

    /**
     * @param cells one value per column.
     * @return this table.
     */
    public TextTable row(Object... cells) {
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

    /** @return the table as Markdown (pipes in cells escaped). */
    public String renderMarkdown() {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        sb.append("---|".repeat(header.length)).append('\n');
        for (String[] r : rows) {
            sb.append("|");
            for (String c : r) {
                sb.append(' ').append(c.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** @return the table as aligned plain text. */
    public String render() {
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
