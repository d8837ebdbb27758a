package org.crane.train;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.crane.ItemId;
import org.crane.data.IdMap;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link CraneModel} inside Tribuo's {@code ModelProto}: Tribuo's model data
 * (name, provenance, feature and output domains) followed by the user ids, the representations, each
 * user's training items, item popularity, the serving settings and the epoch log. Reading checks
 * every count against the payload's size before allocating.
 */
final class ModelPayload {
    /** The payload version this class writes and reads. */
    static final int VERSION = 0;
    /** The payload's type inside the {@code Any}. */
    static final String TYPE_URL = "type.googleapis.com/org.crane.CraneModelData";
    private static final int MAGIC = 0x4352414E; // "CRAN"

    private ModelPayload() {
    }

    /**
     * @param m the model.
     * @param carrier its Tribuo model data.
     * @return the payload.
     */
    static ByteString write(CraneModel m, ModelDataCarrier<ItemId> carrier) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            byte[] meta = carrier.serialize().toByteArray();
            out.writeInt(meta.length);
            out.write(meta);
            out.writeInt(m.users.size());
            for (int u = 0; u < m.users.size(); u++) {
                out.writeLong(Long.parseLong(m.users.externalId(u)));
            }
            out.writeInt(m.numItems);
            out.writeInt(m.d);
            writeFloats(out, m.userEmb);
            writeFloats(out, m.itemEmb);
            for (int[] s : m.seen) {
                out.writeInt(s.length);
                for (int i : s) {
                    out.writeInt(i);
                }
            }
            writeFloats(out, m.popularity);
            out.writeBoolean(m.popularityFallback);
            out.writeInt(m.topK);
            out.writeInt(m.history.size());
            for (CraneModel.EpochRecord e : m.history) {
                out.writeInt(e.epoch());
                out.writeDouble(e.loss());
                out.writeDouble(e.validRecall20());
                out.writeDouble(e.validNdcg20());
                out.writeDouble(e.seconds());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
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
            IdMap users = IdMap.of(ids);
            if (users.size() != m) {
                throw new InvalidProtocolBufferException("Corrupt CRANE model: duplicate user ids");
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
            return new CraneModel(carrier.name(), carrier.provenance(), carrier.featureDomain(), carrier.outputDomain(), users, n, d,
                    userEmb, itemEmb, seen, pop, fallback, topK, history);
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

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4 * v.length);
        bb.asFloatBuffer().put(v);
        out.write(bb.array());
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
