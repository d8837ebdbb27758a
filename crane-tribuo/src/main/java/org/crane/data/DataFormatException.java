package org.crane.data;

import java.nio.file.Path;

/**
 * Bad input data: the message names the file, the line or row where known, what was found and what
 * was expected. It is an {@link IllegalArgumentException} so that callers fail fast without
 * checked-exception plumbing; the command-line tool maps it to exit code 1.
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;

    /**
     * @param file the offending file (may be null for in-memory data).
     * @param line the 1-based line or row, or -1 when the problem is not tied to one.
     * @param message what was wrong and what was expected.
     */
    public DataFormatException(Path file, long line, String message) {
        super(format(file, line, message));
        this.file = file == null ? null : file.toString();
        this.line = line;
    }

    /**
     * @param file the offending file (may be null).
     * @param line the 1-based line or row, or -1.
     * @param message what was wrong and what was expected.
     * @param cause the underlying exception.
     */
    public DataFormatException(Path file, long line, String message, Throwable cause) {
        super(format(file, line, message), cause);
        this.file = file == null ? null : file.toString();
        this.line = line;
    }

    private static String format(Path file, long line, String message) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line >= 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        } else if (line >= 0) {
            sb.append("line ").append(line).append(": ");
        }
        return sb.append(message).toString();
    }

    /** @return the file named by this error, or null. */
    public String getFile() {
        return file;
    }

    /** @return the 1-based line or row, or -1. */
    public long getLine() {
        return line;
    }
}
