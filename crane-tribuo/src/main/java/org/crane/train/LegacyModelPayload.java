package org.crane.train;

import com.google.protobuf.InvalidProtocolBufferException;
import org.crane.ItemId;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads model payloads of version 0, the fixed binary layout that builds before the protobuf
 * payload wrote, so that their model files still load. Nothing writes this layout any more.
 */
final class LegacyModelPayload {
    /** The payload's type inside the {@code Any}. */
    static final String TYPE_URL = "type.googleapis.com/org.crane.CraneModelData";
    private static final int MAGIC = 0x4352414E; // "CRAN"

    private LegacyModelPayload() {
    }

    /**
     * @param b the payload.
     * @return the model.
     * @throws InvalidProtocolBufferException when it is corrupt.
     */
    static CraneModel read(byte[] b) throws InvalidProtocolBufferException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            if (in.readInt() != MAGIC) {
                throw new InvalidProtocolBufferException("Corrupt CRANE model: bad magic number");
            }
            int limit = b.length;
            byte[] meta = new byte[count(in.readInt(), limit, "metadata bytes")];
            in.readFully(meta);
            @SuppressWarnings("unchecked")
            ModelDataCarrier<ItemId> carrier = (ModelDataCarrier<ItemId>) ModelDataCarrier.deserialize(ModelDataProto.parseFrom(meta));
            int m = count(in.readInt(), limit / 8, "users");
            long[] ids = new long[m];
            for (int u = 0; u < m; u++) {
                ids[u] = in.readLong();
            }
            int n = count(in.readInt(), limit, "items");
            int d = count(in.readInt(), limit, "embedding size");
            float[] userEmb = readFloats(in, (long) m * d, limit);
            float[] itemEmb = readFloats(in, (long) n * d, limit);
            int[][] seen = new int[m][];
            for (int u = 0; u < m; u++) {
                seen[u] = new int[count(in.readInt(), n, "seen items")];
                for (int q = 0; q < seen[u].length; q++) {
                    int i = in.readInt();
                    if (i < 0 || i >= n || (q > 0 && i <= seen[u][q - 1])) {
                        throw new InvalidProtocolBufferException("Corrupt CRANE model: bad seen item " + i + " of user " + u);
                    }
                    seen[u][q] = i;
                }
            }
            float[] pop = readFloats(in, n, limit);
            boolean fallback = in.readBoolean();
            int topK = count(in.readInt(), Integer.MAX_VALUE, "topK");
            int h = count(in.readInt(), limit, "history");
            List<CraneModel.EpochRecord> history = new ArrayList<>(h);
            for (int q = 0; q < h; q++) {
                history.add(new CraneModel.EpochRecord(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            return ModelPayload.checked(carrier, ids, n, d, userEmb, itemEmb, seen, pop, fallback, topK, history, 0);
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("Corrupt or truncated CRANE model: " + e.getMessage());
        }
    }

    private static int count(int v, long max, String what) throws InvalidProtocolBufferException {
        if (v < 0 || v > max) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: " + what + " count " + v + " out of range");
        }
        return v;
    }

    private static float[] readFloats(DataInputStream in, long n, int limit) throws IOException {
        if (n < 0 || 4 * n > limit) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: " + n + " floats exceed the payload");
        }
        byte[] b = new byte[(int) (4 * n)];
        in.readFully(b);
        float[] v = new float[(int) n];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(v);
        return v;
    }
}
