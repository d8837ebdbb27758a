package org.crane.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Reads MMRec {@code <name>.inter} files: tab separated, a header naming the columns
 * {@code userID}, {@code itemID}, optional {@code rating}, optional {@code timestamp}, and
 * {@code x_label} (0 train, 1 valid, 2 test), in any order. Ids are non-negative integers.
 */
public final class InteractionReader {
    private static final Logger logger = Logger.getLogger(InteractionReader.class.getName());

    /** Column holding the user id. */
    public static final String USER = "userID";
    /** Column holding the item id. */
    public static final String ITEM = "itemID";
    /** Optional column holding the weight of the interaction. */
    public static final String RATING = "rating";
    /** Column holding the split code. */
    public static final String LABEL = "x_label";

    /** Largest item id accepted: item ids index feature rows, so they must be dense-ish. */
    static final long MAX_ITEM_ID = 50_000_000L;
    /** Longest line accepted: a row is a few ids and numbers, so a longer one is the wrong file. */
    static final int MAX_LINE = 1 << 16;

    private InteractionReader() {
    }

    /**
     * Reads a file; the catalogue size is the largest item id + 1.
     * @param file the .inter file.
     * @return the interactions.
     * @throws IOException when the file cannot be read.
     * @throws DataFormatException when its content is malformed (names file and line).
     */
    public static Interactions read(Path file) throws IOException {
        return read(file, -1);
    }

    /**
     * Reads a file whose items must lie in a catalogue of known size.
     * @param file the .inter file.
     * @param numItems the catalogue size (e.g. the rows of the modality matrices), or -1 to use
     *                 the largest item id + 1.
     * @return the interactions.
     * @throws IOException when the file cannot be read.
     * @throws DataFormatException when its content is malformed (names file and line).
     */
    public static Interactions read(Path file, int numItems) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "interaction file not found");
        }
        FileFingerprint fp = FileFingerprint.of(file);
        CSVFormat format = CSVFormat.TDF.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();
        int cap = 1 << 16;
        long[] users = new long[cap];
        int[] items = new int[cap];
        float[] weights = new float[cap];
        byte[] splits = new byte[cap];
        long[] lines = new long[cap];
        int n = 0;
        try (Reader r = BoundedTextReader.open(file, MAX_LINE);
             CSVParser parser = CSVParser.builder().setReader(r).setFormat(format).get()) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || header.isEmpty()) {
                throw new DataFormatException(file, 1, "empty file; expected a tab-separated header with columns "
                        + USER + ", " + ITEM + ", [" + RATING + "], [timestamp], " + LABEL);
            }
            rejectRepeatedColumns(file, parser.getHeaderNames());
            int cu = column(file, header, USER);
            int ci = column(file, header, ITEM);
            int cl = column(file, header, LABEL);
            Integer cr = header.get(RATING);
            int width = header.size();
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber() + 1;
                if (rec.size() != width) {
                    throw new DataFormatException(file, line, "has " + rec.size() + " fields, the header has " + width);
                }
                if (n == users.length) {
                    cap = users.length * 2;
                    users = Arrays.copyOf(users, cap);
                    items = Arrays.copyOf(items, cap);
                    weights = Arrays.copyOf(weights, cap);
                    splits = Arrays.copyOf(splits, cap);
                    lines = Arrays.copyOf(lines, cap);
                }
                lines[n] = line;
                users[n] = parseId(file, line, USER, rec.get(cu), Long.MAX_VALUE);
                long item = parseId(file, line, ITEM, rec.get(ci), MAX_ITEM_ID);
                if (numItems >= 0 && item >= numItems) {
                    throw new DataFormatException(file, line, "item id " + item + " is out of range: the catalogue has "
                            + numItems + " items (ids 0.." + (numItems - 1) + ")");
                }
                items[n] = (int) item;
                String lab = rec.get(cl);
                Split s = null;
                try {
                    s = Split.ofCode(Integer.parseInt(lab));
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (s == null) {
                    throw new DataFormatException(file, line, LABEL + " '" + Excerpt.of(lab) + "' is not 0 (train), 1 (valid) or 2 (test)");
                }
                splits[n] = (byte) s.code();
                float w = 1f;
                if (cr != null) {
                    String v = rec.get(cr);
                    try {
                        w = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, line, RATING + " '" + Excerpt.of(v) + "' is not a number");
                    }
                    if (!Float.isFinite(w)) {
                        throw new DataFormatException(file, line, RATING + " '" + Excerpt.of(v) + "' is not finite");
                    }
                }
                weights[n] = w;
                n++;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataFormatException(file, -1, "is not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new DataFormatException(file, -1, "is not UTF-8 text (" + e.getCause().getMessage() + ")", e);
            }
            throw new DataFormatException(file, -1, "malformed tab-separated data: " + Excerpt.of(String.valueOf(e.getCause().getMessage())), e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (e instanceof DataFormatException) {
                throw e;
            }
            throw new DataFormatException(file, -1, "malformed header or data: " + Excerpt.of(String.valueOf(e.getMessage())), e);
        }
        if (n == 0) {
            throw new DataFormatException(file, -1, "has a header but no interactions");
        }
        long[] u = Arrays.copyOf(users, n);
        IdMap userMap = IdMap.of(u);
        int[] ui = new int[n];
        int maxItem = -1;
        boolean anyTrain = false;
        for (int r = 0; r < n; r++) {
            ui[r] = userMap.index(u[r]);
            maxItem = Math.max(maxItem, items[r]);
            anyTrain |= splits[r] == Split.TRAIN.code();
        }
        rejectDuplicates(file, ui, items, lines, n, u);
        if (!anyTrain) {
            throw new DataFormatException(file, -1, "has no training interactions (no row with " + LABEL + " 0)");
        }
        int catalogue = numItems >= 0 ? numItems : maxItem + 1;
        Interactions result = new Interactions(userMap, catalogue, ui, Arrays.copyOf(items, n),
                Arrays.copyOf(weights, n), Arrays.copyOf(splits, n), fp);
        logger.fine(() -> "Read " + result.size() + " interactions from " + file);
        return result;
    }

    /** Each (user, item) pair may appear once: a repeat would count twice in training or leak across splits. */
    private static void rejectDuplicates(Path file, int[] user, int[] item, long[] lines, int n, long[] userIds) {
        long[] keys = new long[n];
        for (int r = 0; r < n; r++) {
            keys[r] = ((long) user[r] << 32) | item[r];
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (int k = 1; k < n; k++) {
            if (sorted[k] == sorted[k - 1]) {
                long dup = sorted[k];
                long first = -1;
                for (int r = 0; r < n; r++) {
                    if (keys[r] == dup) {
                        if (first < 0) {
                            first = lines[r];
                        } else {
                            throw new DataFormatException(file, lines[r], "duplicate interaction of user " + userIds[r] + " with item "
                                    + item[r] + " (first on line " + first + "); each (" + USER + ", " + ITEM + ") pair may appear once");
                        }
                    }
                }
            }
        }
    }

    /** A column named twice would make the reader pick one of them silently. */
    static void rejectRepeatedColumns(Path file, java.util.List<String> names) {
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                if (names.get(a).equals(names.get(b))) {
                    throw new DataFormatException(file, 1, "header names column '" + Excerpt.of(names.get(a)) + "' twice (columns "
                            + (a + 1) + " and " + (b + 1) + ")");
                }
            }
        }
    }

    private static int column(Path file, Map<String, Integer> header, String name) {
        Integer c = header.get(name);
        if (c == null) {
            throw new DataFormatException(file, 1, "header has no column '" + name + "' (found: "
                    + Excerpt.of(String.join(", ", header.keySet())) + "); expected tab-separated columns "
                    + USER + ", " + ITEM + ", [" + RATING + "], [timestamp], " + LABEL);
        }
        return c;
    }

    private static long parseId(Path file, long line, String col, String v, long max) {
        long id;
        try {
            id = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, col + " '" + Excerpt.of(v) + "' is not a non-negative integer id");
        }
        if (id < 0) {
            throw new DataFormatException(file, line, col + " '" + Excerpt.of(v) + "' is negative; ids must be non-negative integers");
        }
        if (id > max) {
            throw new DataFormatException(file, line, col + " " + id + " exceeds the largest supported id " + max);
        }
        return id;
    }
}
