package org.crane.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers see either the old content or the complete new one: the content
 * goes to a temporary file beside the target, which is then renamed over it; on failure the
 * temporary file is removed and the target is untouched.
 */
public final class AtomicWrite {
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param tmp the temporary file to write (it does not exist yet).
         * @throws IOException when writing fails.
         */
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * @param target the file to create or replace (its folder is created if needed).
     * @param content writes the new content.
     * @throws IOException when writing or renaming fails.
     */
    public static void to(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "." + COUNTER.incrementAndGet() + ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
