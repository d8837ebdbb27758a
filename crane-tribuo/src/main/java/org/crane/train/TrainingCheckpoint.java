package org.crane.train;

import com.google.protobuf.InvalidProtocolBufferException;
import org.crane.data.AtomicWrite;
import org.crane.data.DataFormatException;
import org.crane.data.Excerpt;
import org.crane.data.MemoryBudget;
import org.crane.graph.CooMatrix;
import org.crane.protos.CheckpointProto;
import org.crane.protos.EpochRecordProto;
import org.crane.protos.ParameterStateProto;
import org.crane.protos.RepresentationsProto;
import org.crane.protos.SparseMatrixProto;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Everything a training run needs to continue exactly where it stopped after an epoch: the
 * parameters with their Adam moments and step count, the early-stopping state (best weights, best
 * epoch and Recall@20, epochs since), the epoch log, and a fingerprint of the configuration and
 * data it belongs to. Random draws need no saved state: each epoch's generators are derived from
 * the seed and the epoch number.
 * <p>
 * The file is plain data (a protobuf message, {@code crane.proto}'s {@code CheckpointProto}, between
 * a header and a CRC-32), never Java serialization; its size is checked against the heap before it
 * is read, and every field against the others after.
 * Saving is atomic, so a crash during a save leaves the previous checkpoint intact.
 */
public final class TrainingCheckpoint {
    private static final String MAGIC_TEXT = "CRANECKP";
    private static final byte[] MAGIC = MAGIC_TEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** 2: a fixed binary layout (earlier builds); 3: a {@link CheckpointProto} message. */
    private static final int VERSION = 3;
    /** Magic, version, message length. */
    private static final int HEADER = 8 + 4 + 8;

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

    /**
     * Saves atomically: {@value #MAGIC_TEXT}, the format version, the length of the message, the
     * {@link CheckpointProto} message and a CRC-32 of everything before it.
     * @param file the checkpoint file.
     * @throws IOException when it cannot be written.
     */
    public void save(Path file) throws IOException {
        byte[] message = toProto().toByteArray();
        AtomicWrite.to(file, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(os, 1 << 16), new CRC32());
                DataOutputStream out = new DataOutputStream(checked);
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(message.length);
                out.write(message);
                out.flush();
                out.writeLong(checked.getChecksum().getValue());
                out.flush();
            }
        });
    }

    private CheckpointProto toProto() {
        CheckpointProto.Builder b = CheckpointProto.newBuilder().setFingerprint(fingerprint).setEpoch(epoch).setAdamSteps(adamSteps)
                .setBestEpoch(bestEpoch).setBestRecall(bestRecall).setBestScale(bestScale).addAllArguments(arguments);
        for (int k = 0; k < scaleBest.length; k++) {
            b.addScaleBest(scaleBest[k]).addScaleSince(scaleSince[k]);
        }
        for (CraneModel.EpochRecord r : history) {
            b.addHistory(ModelPayload.toProto(r));
        }
        for (Map.Entry<String, ParameterState> e : parameters.entrySet()) {
            ParameterState st = e.getValue();
            b.addParameters(ParameterStateProto.newBuilder().setName(e.getKey()).addAllValue(ModelPayload.boxed(st.value()))
                    .addAllFirstMoment(ModelPayload.boxed(st.firstMoment())).addAllSecondMoment(ModelPayload.boxed(st.secondMoment())));
        }
        if (bestUsers != null) {
            b.setBest(RepresentationsProto.newBuilder().addAllUsers(ModelPayload.boxed(bestUsers)).addAllItems(ModelPayload.boxed(bestItems)));
        }
        if (itemGraph != null) {
            SparseMatrixProto.Builder g = SparseMatrixProto.newBuilder().setRows(itemGraph.rows()).setCols(itemGraph.cols());
            for (int k = 0; k < itemGraph.nnz(); k++) {
                g.addRow(itemGraph.row()[k]).addCol(itemGraph.col()[k]).addValue(itemGraph.value()[k]);
            }
            b.setItemGraph(g);
        }
        return b.build();
    }

    /**
     * Loads and checks a checkpoint: size against the heap, magic, version, CRC, the message, then
     * every field's consistency ({@link CheckpointChecks}).
     * @param file the checkpoint file.
     * @return the checkpoint.
     * @throws IOException when it cannot be read.
     * @throws DataFormatException when it is not a checkpoint this build reads, or is corrupt.
     */
    public static TrainingCheckpoint load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        long size = Files.size(file);
        if (size < HEADER + 8) {
            throw new DataFormatException(file, -1, "truncated or corrupt checkpoint (the file ends early)");
        }
        MemoryBudget.require(file + " (" + size + " bytes)", Math.multiplyExact(4L, size));
        byte[] b = Files.readAllBytes(file);
        if (!Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
            throw new DataFormatException(file, -1, "not a CRANE training checkpoint (bad magic bytes)");
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        int version = bb.getInt(MAGIC.length);
        if (version != VERSION) {
            throw new DataFormatException(file, -1, "checkpoint format version " + version + " is not read by this build (it reads "
                    + VERSION + (version < VERSION ? "; the checkpoint was written by an earlier build: resume it with that build, or "
                    + "train again" : "") + ")");
        }
        long length = bb.getLong(MAGIC.length + 4);
        if (length != b.length - HEADER - 8L) {
            throw new DataFormatException(file, -1, "corrupt checkpoint: " + (length > b.length - HEADER - 8L ? "the file ends early (" : "")
                    + "its message of " + length + " bytes disagrees with the file's " + b.length + (length > b.length - HEADER - 8L ? ")" : ""));
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        if (bb.getLong(b.length - 8) != crc.getValue()) {
            throw new DataFormatException(file, -1, "checksum mismatch: the checkpoint is corrupt");
        }
        CheckpointProto p;
        try {
            p = CheckpointProto.parseFrom(ByteBuffer.wrap(b, HEADER, (int) length));
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(file, -1, "corrupt checkpoint (" + Excerpt.of(String.valueOf(e.getMessage())) + ")", e);
        }
        return fromProto(file, p);
    }

    private static TrainingCheckpoint fromProto(Path file, CheckpointProto p) {
        int epoch = p.getEpoch();
        CheckpointChecks.count(file, "epoch", epoch, Integer.MAX_VALUE);
        CheckpointChecks.count(file, "best epoch", p.getBestEpoch(), epoch);
        if (p.getAdamSteps() < 0) {
            throw CheckpointChecks.corrupt(file, "negative optimizer step count " + p.getAdamSteps());
        }
        if (p.getScaleBestCount() != p.getScaleSinceCount()) {
            throw CheckpointChecks.corrupt(file, p.getScaleBestCount() + " per-scale bests but " + p.getScaleSinceCount() + " per-scale counters");
        }
        double[] scaleBest = p.getScaleBestList().stream().mapToDouble(Double::doubleValue).toArray();
        int[] scaleSince = p.getScaleSinceList().stream().mapToInt(Integer::intValue).toArray();
        for (int since : scaleSince) {
            CheckpointChecks.count(file, "epochs since a scale's best", since, epoch);
        }
        List<CraneModel.EpochRecord> history = new ArrayList<>(p.getHistoryCount());
        for (EpochRecordProto r : p.getHistoryList()) {
            history.add(ModelPayload.fromProto(r));
        }
        Map<String, ParameterState> params = new LinkedHashMap<>();
        for (ParameterStateProto ps : p.getParametersList()) {
            float[] v = ModelPayload.unboxed(ps.getValueList());
            float[] m1 = ModelPayload.unboxed(ps.getFirstMomentList());
            float[] m2 = ModelPayload.unboxed(ps.getSecondMomentList());
            if (m1.length != v.length || m2.length != v.length) {
                throw new DataFormatException(file, -1, "parameter '" + Excerpt.of(ps.getName()) + "' has " + v.length
                        + " values but moments of " + m1.length + " and " + m2.length);
            }
            if (params.put(ps.getName(), new ParameterState(v, m1, m2)) != null) {
                throw CheckpointChecks.corrupt(file, "parameter '" + Excerpt.of(ps.getName()) + "' appears twice");
            }
        }
        float[] bu = p.hasBest() ? ModelPayload.unboxed(p.getBest().getUsersList()) : null;
        float[] bi = p.hasBest() ? ModelPayload.unboxed(p.getBest().getItemsList()) : null;
        CooMatrix graph = null;
        if (p.hasItemGraph()) {
            SparseMatrixProto g = p.getItemGraph();
            try {
                graph = new CooMatrix(g.getRows(), g.getCols(), g.getRowList().stream().mapToInt(Integer::intValue).toArray(),
                        g.getColList().stream().mapToInt(Integer::intValue).toArray(), ModelPayload.unboxed(g.getValueList()));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, -1, "corrupt item graph: " + Excerpt.of(String.valueOf(e.getMessage())), e);
            }
        }
        CheckpointChecks.consistency(file, epoch, p.getBestEpoch(), p.getBestRecall(), p.getBestScale(), scaleBest, history, params, bu, bi, graph);
        return new TrainingCheckpoint(p.getFingerprint(), epoch, p.getAdamSteps(), params, p.getBestEpoch(), p.getBestRecall(),
                p.getBestScale(), scaleBest, scaleSince, bu, bi, history, p.getArgumentsList(), graph);
    }
}
