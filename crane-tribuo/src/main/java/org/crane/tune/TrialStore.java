package org.crane.tune;

import org.crane.train.CraneModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What a search keeps of its runs (one point, one seed): their records, checkpoints and models. A
 * {@link TrialDirectory} keeps them in a folder, so that a killed search resumes without training again
 * what it finished; {@link #inMemory()} keeps records and models in memory, without checkpoints (a run
 * promoted to a later rung is then trained again from its first epoch, to the same result).
 */
public interface TrialStore {
    /**
     * What a run has done.
     * @param scores the validation score after each rung trained so far.
     * @param finished whether training ended (full training or early stopping): later rungs keep its score.
     * @param epochs epochs trained in all.
     * @param seconds wall-clock seconds spent.
     */
    record RunRecord(double[] scores, boolean finished, int epochs, double seconds) {
        /** Nothing done yet. */
        public static final RunRecord NONE = new RunRecord(new double[0], false, 0, 0);

        /** @return the rungs done. */
        public int rungsDone() {
            return scores.length;
        }

        /**
         * @param score the score after the next rung.
         * @param finished whether training ended.
         * @param epochs epochs trained in all.
         * @param seconds seconds this rung took.
         * @return this record with the next rung added.
         */
        public RunRecord next(double score, boolean finished, int epochs, double seconds) {
            double[] s = Arrays.copyOf(scores, scores.length + 1);
            s[scores.length] = score;
            return new RunRecord(s, finished, epochs, this.seconds + seconds);
        }
    }

    /**
     * @param trial the point's index.
     * @param seed the seed.
     * @param point the point's values (a record of another point is an error).
     * @return the run's record, {@link RunRecord#NONE} when it has none.
     */
    RunRecord record(int trial, long seed, Map<String, String> point);

    /**
     * Keeps a run's record (after its model).
     * @param trial the point's index.
     * @param seed the seed.
     * @param point the point's values.
     * @param record the record.
     */
    void write(int trial, long seed, Map<String, String> point, RunRecord record);

    /**
     * @param trial the point's index.
     * @param seed the seed.
     * @return where the run keeps its checkpoint, or null for none.
     */
    Path checkpoint(int trial, long seed);

    /**
     * @param trial the point's index.
     * @param seed the seed.
     * @param rung the rung after which the model was made.
     * @param model the model.
     */
    void keepModel(int trial, long seed, int rung, CraneModel model);

    /**
     * @param trial the point's index.
     * @param seed the seed.
     * @param rung the rung.
     * @return the model kept for it.
     * @throws IllegalStateException when none was kept.
     */
    CraneModel model(int trial, long seed, int rung);

    /**
     * Forgets a run's model of one rung.
     * @param trial the point's index.
     * @param seed the seed.
     * @param rung the rung.
     */
    void dropModel(int trial, long seed, int rung);

    /**
     * Forgets a run's checkpoint (the run ended or was stopped).
     * @param trial the point's index.
     * @param seed the seed.
     */
    void dropCheckpoint(int trial, long seed);

    /** @return a store that keeps records and models in memory, without checkpoints. */
    static TrialStore inMemory() {
        return new MemoryStore();
    }
}
