package org.crane.train;

import org.crane.data.DataFormatException;
import org.crane.data.Excerpt;
import org.crane.graph.CooMatrix;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The checks of a loaded checkpoint's fields that a valid CRC cannot make. */
final class CheckpointChecks {
    private CheckpointChecks() {
    }

    /** A count that must lie in [0, max]. */
    static int count(Path file, String what, int n, long max) {
        if (n < 0 || n > max) {
            throw corrupt(file, what + " = " + n + " (expected 0.." + max + ")");
        }
        return n;
    }

    /**
     * The checks a valid CRC cannot make: fields that agree with each other and values a training run
     * can have written. The trainer checks the sizes that depend on the data when it resumes.
     */
    static void consistency(Path file, int epoch, int bestEpoch, double bestRecall, double bestScale, double[] scaleBest,
                                         List<CraneModel.EpochRecord> history, Map<String, TrainingCheckpoint.ParameterState> params,
                                         float[] bestUsers, float[] bestItems, CooMatrix graph) {
        if (bestUsers != null && bestEpoch < 1) {
            throw corrupt(file, "it holds best representations but no best epoch");
        }
        if (!(bestRecall == Double.NEGATIVE_INFINITY || (bestRecall >= 0 && bestRecall <= 1))) {
            throw corrupt(file, "best validation recall " + bestRecall + " is not in [0, 1]");
        }
        if (!(Double.isNaN(bestScale) || (bestScale >= 0 && bestScale <= 1e6))) {
            throw corrupt(file, "best semantic scale " + bestScale + " is not a scale");
        }
        for (double v : scaleBest) {
            if (!(v == Double.NEGATIVE_INFINITY || (v >= 0 && v <= 1))) {
                throw corrupt(file, "a semantic scale's best recall " + v + " is not in [0, 1]");
            }
        }
        if (history.size() > epoch) {
            throw corrupt(file, "its epoch log has " + history.size() + " entries after " + epoch + " epochs");
        }
        int previous = 0;
        for (CraneModel.EpochRecord r : history) {
            if (r.epoch() <= previous || r.epoch() > epoch) {
                throw corrupt(file, "epoch log entry " + r.epoch() + " is out of order (after " + previous + ", at most " + epoch + ")");
            }
            previous = r.epoch();
            if (!Double.isFinite(r.loss()) || !(Double.isNaN(r.validRecall20()) || (r.validRecall20() >= 0 && r.validRecall20() <= 1))
                    || !Double.isFinite(r.seconds()) || r.seconds() < 0) {
                throw corrupt(file, "epoch log entry " + r.epoch() + " holds values no run writes");
            }
        }
        for (Map.Entry<String, TrainingCheckpoint.ParameterState> e : params.entrySet()) {
            TrainingCheckpoint.ParameterState st = e.getValue();
            String name = Excerpt.of(e.getKey());
            requireFinite(file, st.value(), "parameter '" + name + "'");
            requireFinite(file, st.firstMoment(), "parameter '" + name + "' first moment");
            requireFinite(file, st.secondMoment(), "parameter '" + name + "' second moment");
            for (float v : st.secondMoment()) {
                if (v < 0) {
                    throw corrupt(file, "parameter '" + name + "' has a negative second moment");
                }
            }
        }
        if (bestUsers != null) {
            requireFinite(file, bestUsers, "best user representations");
            requireFinite(file, bestItems, "best item representations");
        }
        if (graph != null) {
            if (graph.rows() != graph.cols()) {
                throw corrupt(file, "its item graph is " + graph.rows() + " x " + graph.cols() + ", not square");
            }
            requireFinite(file, graph.value(), "item graph values");
        }
    }

    private static void requireFinite(Path file, float[] a, String what) {
        for (int k = 0; k < a.length; k++) {
            if (!Float.isFinite(a[k])) {
                throw corrupt(file, what + " value " + k + " is " + a[k]);
            }
        }
    }

    static DataFormatException corrupt(Path file, String what) {
        return new DataFormatException(file, -1, "corrupt checkpoint: " + what);
    }
}
