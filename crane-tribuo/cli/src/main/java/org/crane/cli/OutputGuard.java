package org.crane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;

/**
 * The one rule every command applies to the files it writes, checked before any work starts: an
 * output is never a folder, never something other than a regular file (a device such as
 * {@code /dev/null}, a pipe), never one of the same command's inputs (the data, a configuration, the
 * model being read, a checkpoint), and its folder must be writable. Files are then written
 * atomically (a temporary file, then a rename).
 */
public final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * @param option the option that names the output (for the message).
     * @param out the output file.
     * @param inputs the command's input files (nulls ignored).
     * @throws IllegalArgumentException naming the option and the conflict.
     * @throws IOException when a path cannot be examined.
     */
    public static void file(String option, Path out, Collection<Path> inputs) throws IOException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException(option + " " + out + " is a folder; name a file");
            }
            if (!Files.isRegularFile(out)) {
                throw new IllegalArgumentException(option + " " + out + " exists and is not a regular file (a device, pipe or "
                        + "broken link); it is not replaced");
            }
            for (Path in : inputs) {
                if (in != null && Files.exists(in) && Files.isSameFile(in, out)) {
                    throw new IllegalArgumentException(option + " " + out + " is an input of this command; write elsewhere");
                }
            }
        }
        Path parent = Objects.requireNonNullElse(out.toAbsolutePath().getParent(), out.toAbsolutePath());
        if (Files.exists(parent) && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
            throw new IllegalArgumentException(option + " " + out + ": the folder " + parent + " is not writable");
        }
    }

    /**
     * @param option the option that names the folder.
     * @param dir a folder to fill with new files.
     * @param force whether an existing non-empty folder may be written into.
     * @throws IllegalArgumentException when it is a file, or a non-empty folder without force.
     * @throws IOException when it cannot be listed.
     */
    public static void emptyFolder(String option, Path dir, boolean force) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " exists and is not a folder");
        }
        try (var s = Files.list(dir)) {
            if (!force && s.findAny().isPresent()) {
                throw new IllegalArgumentException(option + " " + dir + " is not empty; its files would be replaced (--force to allow it)");
            }
        }
    }

    /**
     * Removes a folder the command itself created (scratch space, a partial output), with everything in
     * it; links inside are removed, never followed. Nothing happens when it does not exist.
     * @param dir the folder.
     * @throws IOException when something in it cannot be removed.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
