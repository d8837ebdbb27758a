package org.crane.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers see either the old content or the complete new one: the content
 * goes to a temporary file beside the target, is forced to disk (fsync), and the file is then
 * renamed over the target (and the folder synced where the platform allows); on failure the
 * temporary file is removed and the target is untouched. A process killed mid-save leaves at most
 * a stray hidden {@code .name.PID.N.tmp} file beside an intact target.
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
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(abs.getParent());
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // e.g. "No space left on device", which names no file: say which output failed (the old one is untouched)
            throw new IOException(abs + ": cannot be written (" + Excerpt.of(String.valueOf(e.getMessage())) + "); any earlier file there is unchanged", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or sync a folder; the rename itself is still atomic there.
        }
    }
}
