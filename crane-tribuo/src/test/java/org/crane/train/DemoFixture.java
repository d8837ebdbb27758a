package org.crane.train;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.data.DataDirectory;
import org.crane.data.DemoDataset;
import org.crane.data.Split;
import org.tribuo.MutableDataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The demo dataset, generated once per test JVM. */
public final class DemoFixture {
    private static DemoFixture instance;

    /** The loaded folder. */
    public final DataDirectory.LoadedData data;
    /** Train split. */
    public final MutableDataset<ItemId> train;
    /** Valid split. */
    public final MutableDataset<ItemId> valid;
    /** Test split. */
    public final MutableDataset<ItemId> test;
    /** Where it was written. */
    public final Path dir;

    private DemoFixture() throws IOException {
        // under the build folder, not /tmp: the exit hook below does not run when the test JVM is halted
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "crane-demo-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        DemoDataset.write(dir, DemoDataset.SEED);
        data = DataDirectory.resolve(dir, List.of()).load();
        train = InteractionDataSource.dataset(data.interactions(), Split.TRAIN);
        valid = InteractionDataSource.dataset(data.interactions(), Split.VALID);
        test = InteractionDataSource.dataset(data.interactions(), Split.TEST);
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    /** @return the shared fixture. */
    public static synchronized DemoFixture get() {
        if (instance == null) {
            try {
                instance = new DemoFixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }
}
