package org.crane.train;

import org.crane.data.AtomicWrite;
import org.crane.data.DataFormatException;
import org.crane.data.Excerpt;
import org.crane.graph.CooMatrix;
import org.crane.train.CraneModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Everything a training run needs to continue exactly where it stopped after an epoch: the
 * parameters with their Adam moments and step count, the early-stopping state (best weights, best
 * epoch and Recall@20, epochs since), the epoch log, and a fingerprint of the configuration and
 * data it belongs to. Random draws need no saved state: each epoch's generators are derived from
 * the seed and the epoch number.
 * <p>
 * The file is plain data (a fixed binary layout with a CRC-32 at the end), never Java
 * serialization; every length is checked against the file size before anything is allocated.
 * Saving is atomic, so a crash during a save leaves the previous checkpoint intact.
 */
public final class TrainingCheckpoint {
    private static final byte[] MAGIC = {'C', 'R', 'A', 'N', 'E', 'C', 'K', 'P'};
    /** 2: the best epoch's semantic scale and each scale's early-stopping state replace the single epochs-since-best count. */
    private static final int VERSION = 2;

    /** One parameter's values and Adam moments. */
    public record ParameterState(float[] value, float[] firstMoment, float[] secondMoment) {
        /**
         * @param value the values.
         * @param firstMoment Adam's m.
         * @param secondMoment Adam's v.
         */
        public ParameterState {
            if (firstMoment.length != value.length || secondMoment.length != value.length) {
                throw new IllegalArgumentException("Moments of length " + firstMoment.length + "/" + secondMoment.length
                        + " for " + value.length + " values");
            }
        }
    }

    private final String fingerprint;
    private final int epoch;
    private final long adamSteps;
    private final Map<String, ParameterState> parameters;
    private final int bestEpoch;
    private final double bestRecall;
    private final double bestScale;
    private final double[] scaleBest;
    private final int[] scaleSince;
    private final float[] bestUsers;
    private final float[] bestItems;
    private final List<CraneModel.EpochRecord> history;
    private final List<String> arguments;
    private final CooMatrix itemGraph;

    /**
     * @param fingerprint configuration and data fingerprint; resuming checks it.
     * @param epoch epochs completed.
     * @param adamSteps optimizer steps taken.
     * @param parameters by name, in creation order.
     * @param bestEpoch best validation epoch so far (0: none).
     * @param bestRecall its validation Recall@20 (-infinity: none).
     * @param bestScale the semantic view's scale chosen at that epoch (NaN: none).
     * @param scaleBest each semantic scale's best validation Recall@20 so far.
     * @param scaleSince epochs since each scale's best (same length).
     * @param bestUsers the best epoch's user representations, or null.
     * @param bestItems the best epoch's item representations, or null.
     * @param history the epoch log so far.
     * @param arguments the command line that started the run (may be empty), so a resume needs only the file.
     * @param itemGraph the item-item graph rebuilt from the learned representation, or null while it is the initial one.
     */
    public TrainingCheckpoint(String fingerprint, int epoch, long adamSteps, Map<String, ParameterState> parameters, int bestEpoch,
                              double bestRecall, double bestScale, double[] scaleBest, int[] scaleSince, float[] bestUsers, float[] bestItems,
                              List<CraneModel.EpochRecord> history, List<String> arguments, CooMatrix itemGraph) {
        if ((bestUsers == null) != (bestItems == null)) {
            throw new IllegalArgumentException("Best user and item representations must be both present or both absent");
        }
        this.fingerprint = fingerprint;
        this.epoch = epoch;
        this.adamSteps = adamSteps;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.bestEpoch = bestEpoch;
        this.bestRecall = bestRecall;
        this.bestScale = bestScale;
        if (scaleBest.length != scaleSince.length) {
            throw new IllegalArgumentException(scaleBest.length + " per-scale bests but " + scaleSince.length + " per-scale counters");
        }
        this.scaleBest = scaleBest.clone();
        this.scaleSince = scaleSince.clone();
        this.bestUsers = bestUsers;
        this.bestItems = bestItems;
        this.history = List.copyOf(history);
        this.arguments = List.copyOf(arguments);
        this.itemGraph = itemGraph;
    }

    /** @return the item-item graph rebuilt during training (semanticGraphRefresh), or null. */
    public CooMatrix itemGraph() {
        return itemGraph;
    }

    /** @return the configuration and data fingerprint. */
    public String fingerprint() {
        return fingerprint;
    }

    /** @return epochs completed. */
    public int epoch() {
        return epoch;
    }

    /** @return optimizer steps taken. */
    public long adamSteps() {
        return adamSteps;
    }

    /** @return parameters by name. */
    public Map<String, ParameterState> parameters() {
        return parameters;
    }

    /** @return the best validation epoch so far, 0 if none. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the best validation Recall@20 so far. */
    public double bestRecall() {
        return bestRecall;
    }

    /** @return each semantic scale's best validation Recall@20 so far. */
    public double[] scaleBest() {
        return scaleBest.clone();
    }

    /** @return epochs since each semantic scale's best. */
    public int[] scaleSince() {
        return scaleSince.clone();
    }

    /** @return the semantic view's scale at the best epoch (NaN: none). */
    public double bestScale() {
        return bestScale;
    }

    /** @return the best epoch's user representations, or null. */
    public float[] bestUsers() {
        return bestUsers;
    }

    /** @return the best epoch's item representations, or null. */
    public float[] bestItems() {
        return bestItems;
    }

    /** @return the epoch log. */
    public List<CraneModel.EpochRecord> history() {
        return history;
    }

    /** @return the command line of the run, possibly empty. */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * Writes the checkpoint atomically (temporary file, fsync, rename).
     * @param file the destination.
     * @throws IOException when it cannot be written.
     */
    public void save(Path file) throws IOException {
        AtomicWrite.to(file, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(os, 1 << 16), new CRC32());
                DataOutputStream out = new DataOutputStream(checked);
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(fingerprint);
                out.writeInt(epoch);
                out.writeLong(adamSteps);
                out.writeInt(bestEpoch);
                out.writeDouble(bestRecall);
                out.writeDouble(bestScale);
                out.writeInt(scaleBest.length);
                for (int s = 0; s < scaleBest.length; s++) {
                    out.writeDouble(scaleBest[s]);
                    out.writeInt(scaleSince[s]);
                }
                out.writeInt(arguments.size());
                for (String a : arguments) {
                    out.writeUTF(a);
                }
                out.writeInt(history.size());
                for (CraneModel.EpochRecord r : history) {
                    out.writeInt(r.epoch());
                    out.writeDouble(r.loss());
                    out.writeDouble(r.validRecall20());
                    out.writeDouble(r.validNdcg20());
                    out.writeDouble(r.seconds());
                }
                out.writeInt(parameters.size());
                for (Map.Entry<String, ParameterState> e : parameters.entrySet()) {
                    out.writeUTF(e.getKey());
                    writeFloats(out, e.getValue().value());
                    writeFloats(out, e.getValue().firstMoment());
                    writeFloats(out, e.getValue().secondMoment());
                }
                out.writeBoolean(bestUsers != null);
                if (bestUsers != null) {
                    writeFloats(out, bestUsers);
                    writeFloats(out, bestItems);
                }
                out.writeBoolean(itemGraph != null);
                if (itemGraph != null) {
                    out.writeInt(itemGraph.rows());
                    out.writeInt(itemGraph.cols());
                    writeInts(out, itemGraph.row());
                    writeInts(out, itemGraph.col());
                    writeFloats(out, itemGraph.value());
                }
                out.flush();
                long crc = checked.getChecksum().getValue();
                out.writeLong(crc);
                out.flush();
            }
        });
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     * @param file the file.
     * @return the checkpoint.
     * @throws IOException when it cannot be read.
     * @throws DataFormatException when it is not an intact CRANE checkpoint.
     */
    public static TrainingCheckpoint load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        long size = Files.size(file);
        try (InputStream is = Files.newInputStream(file)) {
            CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(is, 1 << 16), new CRC32());
            DataInputStream in = new DataInputStream(checked);
            Bounded b = new Bounded(file, size, in);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(file, -1, "not a CRANE training checkpoint (bad magic bytes)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DataFormatException(file, -1, "checkpoint format version " + version + ", this build reads version " + VERSION);
            }
            String fingerprint = in.readUTF();
            int epoch = b.count("epoch", in.readInt(), Integer.MAX_VALUE);
            long steps = in.readLong();
            if (steps < 0) {
                throw new DataFormatException(file, -1, "negative optimizer step count " + steps);
            }
            int bestEpoch = b.count("best epoch", in.readInt(), epoch);
            double bestRecall = in.readDouble();
            double bestScale = in.readDouble();
            int nScales = b.count("semantic scales", in.readInt(), 1000);
            double[] scaleBest = new double[nScales];
            int[] scaleSince = new int[nScales];
            for (int s = 0; s < nScales; s++) {
                scaleBest[s] = in.readDouble();
                scaleSince[s] = b.count("epochs since a scale's best", in.readInt(), epoch);
            }
            int nArgs = b.count("arguments", in.readInt(), size / 2);
            List<String> args = new ArrayList<>(nArgs);
            for (int k = 0; k < nArgs; k++) {
                args.add(in.readUTF());
            }
            int nHist = b.count("epoch log entries", in.readInt(), size / 36);
            List<CraneModel.EpochRecord> history = new ArrayList<>(nHist);
            for (int k = 0; k < nHist; k++) {
                history.add(new CraneModel.EpochRecord(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            int nParams = b.count("parameters", in.readInt(), size / 12);
            Map<String, ParameterState> params = new LinkedHashMap<>();
            for (int k = 0; k < nParams; k++) {
                String name = in.readUTF();
                float[] v = b.floats(name);
                float[] m1 = b.floats(name + " first moment");
                float[] m2 = b.floats(name + " second moment");
                if (m1.length != v.length || m2.length != v.length) {
                    throw new DataFormatException(file, -1, "parameter '" + name + "' has " + v.length + " values but moments of "
                            + m1.length + " and " + m2.length);
                }
                params.put(name, new ParameterState(v, m1, m2));
            }
            float[] bu = null;
            float[] bi = null;
            if (in.readBoolean()) {
                bu = b.floats("best user representations");
                bi = b.floats("best item representations");
            }
            CooMatrix graph = null;
            if (in.readBoolean()) {
                int rows = b.count("item graph rows", in.readInt(), Integer.MAX_VALUE);
                int cols = b.count("item graph columns", in.readInt(), Integer.MAX_VALUE);
                int[] r = b.ints("item graph row indices");
                int[] c = b.ints("item graph column indices");
                float[] v = b.floats("item graph values");
                try {
                    graph = new CooMatrix(rows, cols, r, c, v);
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(file, -1, "corrupt item graph: " + e.getMessage(), e);
                }
            }
            long expected = checked.getChecksum().getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new DataFormatException(file, -1, "checksum mismatch: the checkpoint is corrupt");
            }
            if (in.read() != -1) {
                throw new DataFormatException(file, -1, "unexpected bytes after the checksum");
            }
            checkConsistency(file, epoch, bestEpoch, bestRecall, bestScale, scaleBest, history, params, bu, bi, graph);
            return new TrainingCheckpoint(fingerprint, epoch, steps, params, bestEpoch, bestRecall, bestScale, scaleBest, scaleSince, bu, bi, history, args, graph);
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new DataFormatException(file, -1, "truncated or corrupt checkpoint ("
                    + (e instanceof EOFException ? "the file ends early" : "a text field is not valid UTF-8") + ")", e);
        }
    }

    /**
     * The checks a valid CRC cannot make: fields that agree with each other and values a training run
     * can have written. The trainer checks the sizes that depend on the data when it resumes.
     */
    private static void checkConsistency(Path file, int epoch, int bestEpoch, double bestRecall, double bestScale, double[] scaleBest,
                                         List<CraneModel.EpochRecord> history, Map<String, ParameterState> params,
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
        for (Map.Entry<String, ParameterState> e : params.entrySet()) {
            ParameterState st = e.getValue();
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

    private static DataFormatException corrupt(Path file, String what) {
        return new DataFormatException(file, -1, "corrupt checkpoint: " + what);
    }

    /**
     * Checks the sizes that depend on the run being resumed.
     * @param users the number of users.
     * @param items the number of items.
     * @param width the representation width.
     * @throws IllegalArgumentException when they disagree with this checkpoint.
     */
    void checkSizes(int users, int items, int width) {
        long u = (long) users * width;
        long i = (long) items * width;
        if (bestUsers != null && (bestUsers.length != u || bestItems.length != i)) {
            throw new IllegalArgumentException("The checkpoint's best representations hold " + bestUsers.length + " and " + bestItems.length
                    + " values; this run has " + users + " users and " + items + " items of width " + width);
        }
        if (itemGraph != null && itemGraph.rows() != items) {
            throw new IllegalArgumentException("The checkpoint's item graph has " + itemGraph.rows() + " rows; this run has " + items + " items");
        }
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        byte[] buf = new byte[4 * Math.min(a.length, 1 << 14)];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
        for (int start = 0; start < a.length; start += 1 << 14) {
            int len = Math.min(1 << 14, a.length - start);
            bb.clear();
            bb.asFloatBuffer().put(a, start, len);
            out.write(buf, 0, 4 * len);
        }
    }

    /** Length checks against the file size, so a corrupt count never allocates more than the file holds. */
    private record Bounded(Path file, long size, DataInputStream in) {
        int count(String what, int n, long max) {
            if (n < 0 || n > max) {
                throw new DataFormatException(file, -1, "corrupt checkpoint: " + what + " = " + n + " (expected 0.." + max + ")");
            }
            return n;
        }

        int[] ints(String what) throws IOException {
            int n = count(what + " length", in.readInt(), size / 4);
            int[] a = new int[n];
            for (int k = 0; k < n; k++) {
                a[k] = in.readInt();
            }
            return a;
        }

        float[] floats(String what) throws IOException {
            int n = count(what + " length", in.readInt(), size / 4);
            byte[] buf = new byte[4 * n];
            in.readFully(buf);
            float[] a = new float[n];
            java.nio.ByteBuffer.wrap(buf).asFloatBuffer().get(a);
            return a;
        }
    }
}
