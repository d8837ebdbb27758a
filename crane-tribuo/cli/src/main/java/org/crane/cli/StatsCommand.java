package org.crane.cli;

import org.crane.data.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code crane stats}: sizes, splits, coverage and modalities of an MMRec dataset folder; optionally how well each kNN item graph anticipates held-out interactions. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print users, items, interactions, density, per-split counts and modalities of an MMRec folder.")
final class StatsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Folder with one .inter file and .npy/.npy.gz modalities.")
    Path data;

    @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz, named after its file.")
    List<String> modalities = new ArrayList<>();

    @Option(names = "--neighbours", paramLabel = "K", description = "Also check the item kNN graphs with K neighbours (self included, "
            + "as training builds them) of each modality and of the training interactions against the held-out (valid + test) "
            + "interactions; 0 = skip (default).")
    int neighbours = 0;

    @Option(names = "--ef-search", description = "With --neighbours: candidates per search of the approximate (HNSW) graphs "
            + "reported beside the exact ones (default ${DEFAULT-VALUE}, the trainer's knnEfSearch default).")
    int efSearch = 100;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (neighbours < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--neighbours must be >= 0, got " + neighbours);
        }
        if (efSearch < 1 || efSearch > 100_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ef-search must be in [1, 100000], got " + efSearch);
        }
        DataDirectory.LoadedData loaded = DataDirectory.resolve(data, modalities).load();
        spec.commandLine().getOut().print(DatasetStats.render(loaded));
        if (neighbours > 0) {
            spec.commandLine().getOut().print(DatasetStats.renderAgreement(loaded, neighbours, efSearch));
        }
        return 0;
    }
}
