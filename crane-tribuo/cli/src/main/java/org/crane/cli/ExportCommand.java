package org.crane.cli;

import org.crane.data.AtomicWrite;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code crane export}: the standalone ONNX recommendation graph with the provenance in its metadata. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the model: --onnx writes a standalone ONNX graph (input user: int64 [B] dense user indices; outputs items "
                + "int64 [B, k] and scores float [B, k] with training items masked, known float [B]; provenance, k and the user id "
                + "map in its metadata); --embeddings writes users.tsv and items.tsv (external id, then the d values) for "
                + "nearest-neighbour serving elsewhere (score = dot product; mask training items yourself).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @Option(names = "--onnx", paramLabel = "FILE", description = "The .onnx file to write.")
    Path onnx;
    @Option(names = {"-k", "--k"}, description = "Items per user in the ONNX graph (default: the model's topK).")
    Integer k;
    @Option(names = "--embeddings", paramLabel = "DIR", description = "Folder for users.tsv and items.tsv (created if absent).")
    Path embeddings;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (onnx == null && embeddings == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Give --onnx FILE, --embeddings DIR or both");
        }
        if (k != null && k < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-k must be >= 1, got " + k);
        }
        if (onnx != null) {
            OutputGuard.file("--onnx", onnx, java.util.List.of(model));
        }
        if (embeddings != null) {
            OutputGuard.file("--embeddings", embeddings.resolve("users.tsv"), java.util.List.of(model));
            OutputGuard.file("--embeddings", embeddings.resolve("items.tsv"), java.util.List.of(model));
        }
        CraneModel m = ModelFiles.load(model);
        if (onnx != null) {
            byte[] bytes = (k == null ? m.exportONNXModel("org.crane", 1) : m.exportONNXModel("org.crane", 1, k)).toByteArray();
            AtomicWrite.to(onnx, tmp -> Files.write(tmp, bytes));
            spec.commandLine().getOut().println("Wrote " + onnx + " (" + Files.size(onnx) + " bytes)");
        }
        if (embeddings != null) {
            Files.createDirectories(embeddings);
            int d = m.getEmbeddingSize();
            writeVectors(embeddings.resolve("users.tsv"), m.getUserEmbeddings(), d, m.numUsers(), u -> m.getUsers().externalId(u));
            writeVectors(embeddings.resolve("items.tsv"), m.getItemEmbeddings(), d, m.numItems(), Integer::toString);
            spec.commandLine().getOut().println("Wrote " + embeddings.resolve("users.tsv") + " (" + m.numUsers() + " users) and "
                    + embeddings.resolve("items.tsv") + " (" + m.numItems() + " items), " + d + " values each");
        }
        return 0;
    }

    private static void writeVectors(Path file, float[] v, int d, int rows, java.util.function.IntFunction<String> id) throws java.io.IOException {
        AtomicWrite.to(file, tmp -> {
            try (java.io.BufferedWriter w = Files.newBufferedWriter(tmp)) {
                StringBuilder sb = new StringBuilder("id");
                for (int c = 0; c < d; c++) {
                    sb.append("\te").append(c);
                }
                w.write(sb.append('\n').toString());
                for (int r = 0; r < rows; r++) {
                    sb.setLength(0);
                    sb.append(id.apply(r));
                    for (int c = 0; c < d; c++) {
                        sb.append('\t').append(v[r * d + c]);   // Float.toString: the exact float back on parsing
                    }
                    w.write(sb.append('\n').toString());
                }
            }
        });
    }
}
