package org.crane.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.data.AtomicWrite;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TrialStore} in a folder: per run (point N, seed S) {@code trial-N-seed-S.json} (its record, written
 * atomically when a rung ends), {@code trial-N-seed-S.ckpt} (its checkpoint, saved every epoch while it
 * trains, removed when it finishes or is stopped) and {@code trial-N-seed-S-rung-R.model} (its model after
 * rung R, kept while the search may still choose it). Nothing else in the folder is read or written.
 */
public final class TrialDirectory implements TrialStore {
    /** The largest record file read (a record is a few hundred bytes). */
    private static final long MAX_RECORD = 1 << 20;
    private final Path dir;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param dir the folder (created when the first record is written).
     */
    public TrialDirectory(Path dir) {
        this.dir = dir;
    }

    private String name(int trial, long seed) {
        return "trial-" + (trial + 1) + "-seed-" + seed;
    }

    private Path recordFile(int trial, long seed) {
        return dir.resolve(name(trial, seed) + ".json");
    }

    private Path modelFile(int trial, long seed, int rung) {
        return dir.resolve(name(trial, seed) + "-rung-" + (rung + 1) + ".model");
    }

    @Override
    public RunRecord record(int trial, long seed, Map<String, String> point) {
        Path f = recordFile(trial, seed);
        if (!Files.isRegularFile(f)) {
            return RunRecord.NONE;
        }
        try {
            if (Files.size(f) > MAX_RECORD) {
                throw new IllegalArgumentException(f + ": " + Files.size(f) + " bytes, more than a trial record holds");
            }
            JsonNode n = mapper.readTree(f.toFile());
            if (n == null || !mapper.valueToTree(point).equals(n.get("point")) || !n.path("scores").isArray()) {
                throw new IllegalArgumentException(f + ": records another point than trial " + (trial + 1) + " of this search");
            }
            double[] scores = new double[n.get("scores").size()];
            for (int k = 0; k < scores.length; k++) {
                scores[k] = n.get("scores").get(k).asDouble();
            }
            return new RunRecord(scores, n.path("finished").asBoolean(), n.path("epochs").asInt(), n.path("seconds").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": unreadable trial record (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void write(int trial, long seed, Map<String, String> point, RunRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("point", point);
        json.put("seed", seed);
        json.put("scores", record.scores());
        json.put("finished", record.finished());
        json.put("epochs", record.epochs());
        json.put("seconds", record.seconds());
        try {
            Files.createDirectories(dir);
            AtomicWrite.to(recordFile(trial, seed), tmp -> mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path checkpoint(int trial, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return checkpointFile(trial, seed);
    }

    private Path checkpointFile(int trial, long seed) {
        return dir.resolve(name(trial, seed) + ".ckpt");
    }

    @Override
    public void keepModel(int trial, long seed, int rung, CraneModel model) {
        try {
            Files.createDirectories(dir);
            ModelFiles.save(model, modelFile(trial, seed, rung));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CraneModel model(int trial, long seed, int rung) {
        try {
            return ModelFiles.load(modelFile(trial, seed, rung));
        } catch (IOException e) {
            throw new IllegalStateException("No model kept for trial " + (trial + 1) + ", seed " + seed + ", rung " + (rung + 1)
                    + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void dropModel(int trial, long seed, int rung) {
        Path m = modelFile(trial, seed, rung);
        delete(m);
        delete(ModelFiles.provenancePath(m));
    }

    @Override
    public void dropCheckpoint(int trial, long seed) {
        delete(checkpointFile(trial, seed));
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
