package org.crane.cli;

import org.crane.CraneModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crane.data.AtomicWrite;
import java.util.concurrent.Callable;

/** {@code crane export}: the standalone ONNX recommendation graph with the provenance in its metadata. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the model as a standalone ONNX graph: input user (int64 [1], dense index), outputs items and scores (top-K, training items masked).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The .onnx file to write.")
    Path onnx;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CraneModel m = ModelFiles.load(model);
        byte[] bytes = m.exportONNXModel("org.crane", 1).toByteArray();
        AtomicWrite.to(onnx, tmp -> Files.write(tmp, bytes));
        spec.commandLine().getOut().println("Wrote " + onnx + " (" + Files.size(onnx) + " bytes)");
        return 0;
    }
}
