package org.crane.data;

import java.nio.file.Path;

/**
 * The three entries of a NumPy header dictionary this project reads, found in one left-to-right pass
 * per key (time linear in the header's length, whatever it holds).
 * @param descr the dtype text, e.g. {@code <f4}.
 * @param fortranOrder {@code True} or {@code False}.
 * @param shape the text between the shape tuple's parentheses.
 */
record NpyHeader(String descr, String fortranOrder, String shape) {

    /**
     * @param file the file, for messages.
     * @param header the header text.
     * @return its entries.
     * @throws DataFormatException when one is missing or malformed.
     */
    static NpyHeader parse(Path file, String header) {
        String descr = quoted(file, header, after(file, header, "descr"));
        int f = after(file, header, "fortran_order");
        String fortran;
        if (header.startsWith("True", f)) {
            fortran = "True";
        } else if (header.startsWith("False", f)) {
            fortran = "False";
        } else {
            throw missing(file, header, "fortran_order");
        }
        int s = after(file, header, "shape");
        if (s >= header.length() || header.charAt(s) != '(') {
            throw missing(file, header, "shape");
        }
        int close = header.indexOf(')', s);
        if (close < 0) {
            throw missing(file, header, "shape");
        }
        return new NpyHeader(descr, fortran, header.substring(s + 1, close));
    }

    /**
     * @return bytes of data the shape and dtype ask for, or 0 when they cannot be read (the full check
     *         reports that).
     */
    long dataBytes() {
        int itemSize = descr.endsWith("f8") ? 8 : 4;
        long count = 1;
        int dims = 0;
        for (String d : shape.split(",")) {
            String t = d.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0) {
                    return 0;
                }
                count = Math.multiplyExact(count, v);
            } catch (NumberFormatException | ArithmeticException e) {
                return e instanceof ArithmeticException ? Long.MAX_VALUE : 0;
            }
            dims++;
        }
        return dims == 0 ? 0 : (count > Long.MAX_VALUE / itemSize ? Long.MAX_VALUE : count * itemSize);
    }

    /** Index just past {@code 'key'} , whitespace, a colon and whitespace. */
    private static int after(Path file, String header, String key) {
        int k = header.indexOf("'" + key + "'");
        if (k < 0) {
            throw missing(file, header, key);
        }
        int i = skipSpace(header, k + key.length() + 2);
        if (i >= header.length() || header.charAt(i) != ':') {
            throw missing(file, header, key);
        }
        return skipSpace(header, i + 1);
    }

    private static String quoted(Path file, String header, int i) {
        if (i >= header.length() || header.charAt(i) != '\'') {
            throw missing(file, header, "descr");
        }
        int end = header.indexOf('\'', i + 1);
        if (end < 0) {
            throw missing(file, header, "descr");
        }
        return header.substring(i + 1, end);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static DataFormatException missing(Path file, String header, String key) {
        return new DataFormatException(file, -1, "NPY header has no valid '" + key + "' entry: " + Excerpt.of(header.trim()));
    }
}
