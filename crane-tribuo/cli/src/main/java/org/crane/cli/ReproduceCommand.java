package org.crane.cli;

import org.crane.provenance.Reproducer;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crane reproduce}: re-train a model from its provenance alone and compare. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Rebuild the trainer and data sources from a model's provenance, re-train, and report whether the new "
                + "model's scores are identical; list provenance differences and changed data files otherwise.")
public final class ReproduceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A saved model.")
    Path model;
    @Option(names = "--out", paramLabel = "MODEL", description = "Also save the reproduced model here.")
    Path out;
    @Option(names = "--data-root", paramLabel = "DIR", description = "Read the recorded data files from DIR (by their file "
            + "names) instead of where they were at training time, e.g. on another machine; their hashes are still checked.")
    Path dataRoot;
    @Option(names = "--recorded-paths", description = "Read the data files at the paths the model records (a model is a record "
            + "written by whoever trained it: confirm that its paths are ones you mean to read).")
    boolean recordedPaths;
    @Spec
    CommandSpec spec;

    /** Used by picocli. */
    public ReproduceCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        CraneModel original = ModelFiles.load(model);
        if (dataRoot == null && !recordedPaths) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "reproduce reads only data you name: give --data-root DIR "
                    + "(the folder holding the files the model was trained on) or --recorded-paths to read the paths recorded in "
                    + model.getFileName() + " (" + org.crane.data.Excerpt.of(String.join(", ", Reproducer.recordedFolders(original))) + ")");
        }
        if (dataRoot != null && !java.nio.file.Files.isDirectory(dataRoot)) {
            throw new java.nio.file.NoSuchFileException(dataRoot.toString(), null, "data folder not found");
        }
        o.println("Re-training " + model + " from its provenance ...");
        o.flush();
        Reproducer.Outcome r = Reproducer.reproduce(original, dataRoot == null ? null : dataRoot.toAbsolutePath().normalize());
        if (!r.changedFiles().isEmpty()) {
            o.println("not reproducible: data files changed since training:");
            for (String c : r.changedFiles()) {
                o.println("  " + c);
            }
            return 1;
        }
        if (out != null) {
            ModelFiles.save(r.reproduced(), out);
        }
        if (r.identical()) {
            o.println("identical: every user and item representation equals the original bit for bit");
        } else {
            o.println("different: largest representation difference " + r.maxAbsDifference());
        }
        Map<String, List<String>> d = r.differences();
        o.println("provenance differences (wall-clock fields left out): " + (d.isEmpty() ? "none" : d.size()));
        for (Map.Entry<String, List<String>> e : d.entrySet()) {
            o.println("  " + e.getKey() + ": " + e.getValue().get(0) + " -> " + e.getValue().get(1));
        }
        return r.identical() ? 0 : 1;
    }
}
