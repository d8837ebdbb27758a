package org.crane.tune;

import org.crane.train.CraneModel;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link TrialStore#inMemory()}: records and models in maps, no checkpoints. */
final class MemoryStore implements TrialStore {
    private final Map<List<Long>, RunRecord> records = new HashMap<>();
    private final Map<List<Long>, CraneModel> models = new HashMap<>();

    @Override
    public synchronized RunRecord record(int trial, long seed, Map<String, String> point) {
        return records.getOrDefault(List.of((long) trial, seed), RunRecord.NONE);
    }

    @Override
    public synchronized void write(int trial, long seed, Map<String, String> point, RunRecord record) {
        records.put(List.of((long) trial, seed), record);
    }

    @Override
    public Path checkpoint(int trial, long seed) {
        return null;
    }

    @Override
    public synchronized void keepModel(int trial, long seed, int rung, CraneModel model) {
        models.put(List.of((long) trial, seed, (long) rung), model);
    }

    @Override
    public synchronized CraneModel model(int trial, long seed, int rung) {
        CraneModel m = models.get(List.of((long) trial, seed, (long) rung));
        if (m == null) {
            throw new IllegalStateException("No model kept for trial " + (trial + 1) + ", seed " + seed + ", rung " + (rung + 1));
        }
        return m;
    }

    @Override
    public synchronized void dropModel(int trial, long seed, int rung) {
        models.remove(List.of((long) trial, seed, (long) rung));
    }

    @Override
    public void dropCheckpoint(int trial, long seed) {
    }
}
