package org.crane.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.provenance.TrainerProvenance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a checkpoint must match to be resumed: a SHA-256 over the configuration that shapes the maths
 * (every configured field but those in {@link #RESUMABLE_CHANGES}), the training interactions, the
 * feature hashes and the validation targets, so that a checkpoint is never resumed against something else.
 */
final class RunFingerprint {
    /**
     * Trainer fields that may change between a checkpoint and its resume: budgets, reporting, and the
     * learning rate (resuming a diverged run from its last good checkpoint with a smaller one).
     */
    static final Set<String> RESUMABLE_CHANGES = Set.of("maxEpochs", "patience", "logEvery", "threads",
            "topK", "popularityFallback", "executionProvider", "itemFeatures", "learningRate");

    private RunFingerprint() {
    }

    /**
     * Fields added after checkpoints of format 3 were first written do not enter the fingerprint at the
     * values that give the maths those checkpoints had (an exact kNN graph, exact steps), so
     * that such checkpoints still resume.
     */
    private static void leaveOutWhenExact(Map<String, Provenance> fields, int items, long pairs, boolean multimodal) {
        Provenance index = fields.get("knnIndex");
        Provenance ef = fields.get("knnEfSearch");
        if (index != null && ef != null) {
            try {
                if (!org.crane.graph.KnnIndex.resolve(value(index), items, 1, Integer.parseInt(value(ef))).approximate()) {
                    fields.remove("knnIndex");
                    fields.remove("knnEfSearch");
                }
            } catch (IllegalArgumentException e) {
                // an invalid setting never trains; keep it in
            }
        }
        Provenance refresh = fields.get("historyRefreshSteps");
        Provenance semantic = fields.get("semanticUpdateSteps");
        if (refresh != null) {
            try {
                int history = CraneTrainer.resolveHistoryRefresh(Integer.parseInt(value(refresh)), pairs, multimodal);
                Provenance batchSize = fields.get("batchSize");
                int batch = batchSize == null ? 1 : Integer.parseInt(value(batchSize));
                if (semantic != null && (!multimodal
                        || CraneTrainer.resolveSemanticUpdate(Integer.parseInt(value(semantic)), history, items, batch) == 1)) {
                    fields.remove("semanticUpdateSteps");
                }
                if (history == 1) {
                    fields.remove("historyRefreshSteps");
                }
            } catch (IllegalArgumentException e) {
                // never trains; keep it in
            }
        }
    }

    private static String value(Provenance p) {
        return p instanceof com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance<?> q ? String.valueOf(q.getValue()) : p.toString();
    }

    /**
     * @param provenance the trainer's provenance.
     * @param featureHashes the modalities' content hashes.
     * @param data the training interactions.
     * @param validRel the validation targets, or null.
     * @return the fingerprint in hex.
     */
    static String of(TrainerProvenance provenance, List<String> featureHashes, TrainingData data, int[][] validRel) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            TreeMap<String, Provenance> fields = new TreeMap<>(provenance.getConfiguredParameters());
            StringBuilder sb = new StringBuilder();
            leaveOutWhenExact(fields, data.numItems, data.numPairs, !featureHashes.isEmpty());
            for (Map.Entry<String, Provenance> e : fields.entrySet()) {
                if (!RESUMABLE_CHANGES.contains(e.getKey())) {
                    sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
                }
            }
            sb.append("features=").append(featureHashes).append('\n');
            sb.append("users=").append(data.users.size()).append(" items=").append(data.numItems).append('\n');
            sha.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(8);
            for (int[][] rows : validRel == null ? new int[][][]{data.itemsByUser} : new int[][][]{data.itemsByUser, validRel}) {
                for (int[] row : rows) {
                    buf.clear();
                    buf.putInt(row == null ? -1 : row.length);
                    sha.update(buf.array(), 0, 4);
                    if (row != null) {
                        for (int x : row) {
                            buf.clear();
                            buf.putInt(x);
                            sha.update(buf.array(), 0, 4);
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
