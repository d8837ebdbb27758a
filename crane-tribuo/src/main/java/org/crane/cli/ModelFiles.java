package org.crane.cli;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import org.crane.CraneModel;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saving (atomically, with a provenance JSON beside) and loading CRANE model files. */
final class ModelFiles {
    private ModelFiles() {
    }

    static Path provenancePath(Path model) {
        return model.resolveSibling(model.getFileName() + ".provenance.json");
    }

    static void save(CraneModel model, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            model.serializeToFile(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        Path prov = provenancePath(file);
        Path ptmp = Files.createTempFile(dir, prov.getFileName().toString(), ".tmp");
        try {
            Files.writeString(ptmp, new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()));
            Files.move(ptmp, prov, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(ptmp);
        }
    }

    static CraneModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a readable CRANE model file (" + e.getMessage() + ")", e);
        }
        if (!(m instanceof CraneModel)) {
            throw new IllegalArgumentException(file + ": holds a " + m.getClass().getSimpleName() + ", not a CRANE model");
        }
        return (CraneModel) m;
    }
}
