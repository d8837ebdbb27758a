package org.crane.examples;

import org.crane.data.DemoDataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The generated demo dataset in a temporary folder that is deleted again on close. */
final class DemoFolder implements AutoCloseable {
    private final Path dir;

    private DemoFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * @param prefix the folder name's prefix.
     * @return a new folder holding the demo dataset.
     * @throws IOException when it cannot be written.
     */
    static DemoFolder create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        DemoDataset.write(dir, DemoDataset.SEED);
        return new DemoFolder(dir);
    }

    /** @return the folder. */
    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the demo folder " + dir, e);
        }
    }
}
