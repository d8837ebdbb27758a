package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import org.crane.data.AtomicWrite;
import org.crane.train.CraneModel;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Saving (atomically, with provenance and metrics JSON beside) and loading CRANE model files. */
public final class ModelFiles {
    /** The class name model files carried before the model moved beside its trainer (org.crane.CraneModel). */
    static final String LEGACY_CLASS_NAME = "org.crane.CraneModel";

    private ModelFiles() {
    }

    /**
     * @param model a model file.
     * @return where its provenance JSON lives.
     */
    public static Path provenancePath(Path model) {
        return model.resolveSibling(model.getFileName() + ".provenance.json");
    }

    /**
     * @param model a model file.
     * @return where its metrics JSON (valid and test metrics at training time) lives.
     */
    public static Path metricsPath(Path model) {
        return model.resolveSibling(model.getFileName() + ".metrics.json");
    }

    /**
     * Writes split name to metric map as JSON beside a model, atomically.
     * @param model the model file.
     * @param metrics e.g. {"valid": {"Recall@20": 0.4}, "test": {...}}.
     * @throws IOException when it cannot be written.
     */
    public static void saveMetrics(Path model, java.util.Map<String, java.util.Map<String, Double>> metrics) throws IOException {
        AtomicWrite.to(metricsPath(model),
                tmp -> new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), metrics));
    }

    /**
     * @param model a model file.
     * @return its metrics JSON, or an empty map when there is none.
     * @throws IOException when it exists but cannot be read.
     */
    public static java.util.Map<String, java.util.Map<String, Double>> loadMetrics(Path model) throws IOException {
        Path p = metricsPath(model);
        if (!Files.isRegularFile(p)) {
            return java.util.Map.of();
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(p.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, java.util.Map<String, Double>>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": not a readable metrics file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Saves a model atomically (temporary file, then rename) with its provenance JSON beside it.
     * @param model the model.
     * @param file the destination.
     * @throws IOException when it cannot be written.
     */
    public static void save(CraneModel model, Path file) throws IOException {
        AtomicWrite.to(file, model::serializeToFile);
        AtomicWrite.to(provenancePath(file),
                tmp -> Files.writeString(tmp, new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance())));
    }

    /**
     * @param file a model file.
     * @return the model (protobuf only; no Java deserialization; the file must name CraneModel as
     *         its class before Tribuo's reflective loader sees it).
     * @throws IOException when it cannot be read.
     */
    public static CraneModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        if (Files.size(file) == 0) {
            throw new IllegalArgumentException(file + ": is empty, not a CRANE model file");
        }
        // the file is parsed whole, and its arrays copied once more: check that this fits before reading
        org.crane.data.MemoryBudget.require(file + " (" + Files.size(file) + " bytes)", Math.multiplyExact(3L, Files.size(file)));
        // Tribuo instantiates the class a model file names: check the name before anything runs
        org.tribuo.protos.core.ModelProto proto;
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            proto = org.tribuo.protos.core.ModelProto.parseFrom(in);
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
        if (LEGACY_CLASS_NAME.equals(proto.getClassName())) {
            // written before the model moved beside its trainer; the payload is the same
            proto = proto.toBuilder().setClassName(CraneModel.class.getName()).build();
        }
        if (!CraneModel.class.getName().equals(proto.getClassName())) {
            throw new IllegalArgumentException(file + ": names the model class '" + org.crane.data.Excerpt.of(proto.getClassName())
                    + "', not a CRANE model; nothing of it was loaded");
        }
        try {
            return (CraneModel) Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static IllegalArgumentException unreadable(Path file, Exception e) {
        return new IllegalArgumentException(file + ": not a readable CRANE model file (" + org.crane.data.Excerpt.of(String.valueOf(e.getMessage()), 200) + ")", e);
    }
}
