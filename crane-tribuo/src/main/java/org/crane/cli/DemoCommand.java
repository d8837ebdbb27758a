package org.crane.cli;

import org.crane.data.DataDirectory;
import org.crane.data.DemoDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code crane demo}: generates the embedded demo dataset and shows it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate the small embedded demo dataset (planted clusters, two modalities) and print its statistics.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--write-data", paramLabel = "DIR", description = "Write the demo dataset to DIR in MMRec layout and exit.")
    Path writeData;

    @Option(names = "--seed", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed = DemoDataset.SEED;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (writeData != null) {
            DemoDataset.write(writeData, seed);
            spec.commandLine().getOut().println("Wrote the demo dataset to " + writeData + " (" + DemoDataset.INTER_FILE + ", image.npy, text.npy)");
            return 0;
        }
        Path dir = Files.createTempDirectory("crane-demo");
        try {
            DemoDataset.write(dir, seed);
            spec.commandLine().getOut().print(DatasetStats.render(DataDirectory.resolve(dir, List.of()).load()));
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
