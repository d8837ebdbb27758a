package org.crane.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;

/**
 * UTF-8 text from a file someone else may have written: a leading byte-order mark is skipped, bytes
 * that are not UTF-8 fail, and a line longer than a bound fails before the parser above buffers it
 * (a single 3 GB line would otherwise exhaust the heap). Errors name the file and the line.
 */
public final class BoundedTextReader extends FilterReader {
    private static final char BOM = '\uFEFF';

    private final Path file;
    private final int maxLine;
    private long line = 1;
    private int column;
    private boolean started;

    private BoundedTextReader(Path file, Reader in, int maxLine) {
        super(in);
        this.file = file;
        this.maxLine = maxLine;
    }

    /**
     * @param file a text file.
     * @param maxLine the most characters one line may hold.
     * @return a reader over it.
     * @throws IOException when it cannot be opened.
     */
    public static BoundedTextReader open(Path file, int maxLine) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader r = new java.io.BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
        return new BoundedTextReader(file, r, maxLine);
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n <= 0) {
            return n;
        }
        if (!started) {
            started = true;
            if (buf[off] == BOM) {
                System.arraycopy(buf, off + 1, buf, off, n - 1);
                n--;
                if (n == 0) {
                    return read(buf, off, len);
                }
            }
        }
        for (int k = off; k < off + n; k++) {
            if (buf[k] == '\n') {
                line++;
                column = 0;
            } else if (++column > maxLine) {
                throw new DataFormatException(file, line, "line is longer than " + maxLine + " characters; is this the right file?");
            }
        }
        return n;
    }
}
