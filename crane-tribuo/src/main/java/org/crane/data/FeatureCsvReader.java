package org.crane.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an item modality from CSV: each line is an item id followed by its feature values
 * (comma separated; an optional header line whose first field is not an integer is skipped).
 * Every item 0..numItems-1 must appear exactly once; lines may be in any order.
 */
public final class FeatureCsvReader {
    /** Longest line accepted (an id and some thousands of numbers). */
    static final int MAX_LINE = 1 << 22;

    private FeatureCsvReader() {
    }

    /**
     * @param file the CSV file.
     * @param name the modality name.
     * @param numItems the catalogue size.
     * @return the matrix (row i = item i).
     * @throws IOException when the file cannot be read.
     * @throws DataFormatException on a ragged line, a bad id or value, a duplicate or a missing item.
     */
    public static FeatureMatrix read(Path file, String name, int numItems) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "feature file not found");
        }
        if (numItems <= 0) {
            throw new IllegalArgumentException("numItems must be positive, got " + numItems);
        }
        float[] values = null;
        boolean[] seen = new boolean[numItems];
        int cols = -1;
        CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();
        try (Reader r = BoundedTextReader.open(file, MAX_LINE);
             CSVParser parser = CSVParser.builder().setReader(r).setFormat(format).get()) {
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber();
                String first = rec.get(0);
                long id;
                try {
                    id = Long.parseLong(first);
                } catch (NumberFormatException e) {
                    if (line == 1) {
                        continue; // header
                    }
                    throw new DataFormatException(file, line, "item id '" + Excerpt.of(first) + "' is not a non-negative integer");
                }
                if (id < 0 || id >= numItems) {
                    throw new DataFormatException(file, line, "item id " + id + " is out of range [0, " + numItems + ")");
                }
                int c = rec.size() - 1;
                if (cols < 0) {
                    if (c <= 0) {
                        throw new DataFormatException(file, line, "has no feature values after the item id");
                    }
                    cols = c;
                    long count = (long) numItems * cols;
                    String what = file + ": " + numItems + " items x " + cols + " values";
                    MemoryBudget.require(what, 4 * count);
                    values = new float[MemoryBudget.arrayLength(count, what)];
                } else if (c != cols) {
                    throw new DataFormatException(file, line, "has " + c + " values, earlier lines have " + cols + " (ragged rows)");
                }
                if (seen[(int) id]) {
                    throw new DataFormatException(file, line, "item " + id + " appears a second time");
                }
                seen[(int) id] = true;
                int base = (int) id * cols;
                for (int j = 0; j < cols; j++) {
                    String v = rec.get(j + 1);
                    float f;
                    try {
                        f = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, line, "value " + (j + 1) + " '" + Excerpt.of(v) + "' is not a number");
                    }
                    if (!Float.isFinite(f)) {
                        throw new DataFormatException(file, line, "value " + (j + 1) + " is " + Excerpt.of(v)
                                + (Double.isFinite(Double.parseDouble(v)) ? ", beyond the float32 range" : "") + "; features must be finite");
                    }
                    values[base + j] = f;
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataFormatException(file, -1, "is not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new DataFormatException(file, -1, "is not UTF-8 text (" + e.getCause().getMessage() + ")", e);
            }
            throw new DataFormatException(file, -1, "malformed CSV: " + Excerpt.of(String.valueOf(e.getCause().getMessage())), e);
        }
        if (values == null) {
            throw new DataFormatException(file, -1, "holds no feature rows");
        }
        for (int i = 0; i < numItems; i++) {
            if (!seen[i]) {
                throw new DataFormatException(file, -1, "item " + i + " has no features (every item 0.." + (numItems - 1) + " needs a line)");
            }
        }
        return new FeatureMatrix(name, numItems, cols, values);
    }
}
