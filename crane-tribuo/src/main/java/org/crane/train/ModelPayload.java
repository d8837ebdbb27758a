package org.crane.train;

import com.google.protobuf.ByteString;
import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import org.crane.ItemId;
import org.crane.data.IdMap;
import org.crane.protos.CraneModelDataProto;
import org.crane.protos.EpochRecordProto;
import org.crane.protos.ItemListProto;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of a {@link CraneModel} inside Tribuo's {@code ModelProto}: a {@code CraneModelDataProto}
 * ({@code crane.proto}) holding Tribuo's model data (name, provenance, feature and output domains),
 * the user ids, the representations, each user's training items, item popularity, the serving
 * settings and the epoch log. Reading checks every size against the others before building the model;
 * payloads of version 0 (the earlier fixed binary layout) are read by {@link LegacyModelPayload}.
 */
final class ModelPayload {
    /** The payload version this class writes. */
    static final int VERSION = 1;
    /** The payload's type inside the {@code Any}. */
    static final String TYPE_URL = "type.googleapis.com/crane.CraneModelDataProto";

    private ModelPayload() {
    }

    /**
     * @param m the model.
     * @param carrier its Tribuo model data.
     * @return the payload.
     */
    static ByteString write(CraneModel m, ModelDataCarrier<ItemId> carrier) {
        CraneModelDataProto.Builder b = CraneModelDataProto.newBuilder().setTribuoModelData(carrier.serialize().toByteString())
                .setNumItems(m.numItems).setEmbeddingSize(m.d).setPopularityFallback(m.popularityFallback).setTopK(m.topK)
                .setBestEpoch(m.bestEpoch)
                .addAllUserEmbeddings(boxed(m.userEmb)).addAllItemEmbeddings(boxed(m.itemEmb)).addAllPopularity(boxed(m.popularity));
        for (int u = 0; u < m.users.size(); u++) {
            b.addUserIds(Long.parseLong(m.users.externalId(u)));
        }
        for (int[] s : m.seen) {
            ItemListProto.Builder items = ItemListProto.newBuilder();
            for (int i : s) {
                items.addItems(i);
            }
            b.addSeen(items);
        }
        for (CraneModel.EpochRecord r : m.history) {
            b.addHistory(toProto(r));
        }
        return b.build().toByteString();
    }

    /**
     * @param version the payload version the model file records.
     * @param typeUrl the payload's type.
     * @param bytes the payload.
     * @return the model.
     * @throws InvalidProtocolBufferException when the payload is corrupt or of another type.
     */
    static CraneModel read(int version, String typeUrl, ByteString bytes) throws InvalidProtocolBufferException {
        if (version == 0 && LegacyModelPayload.TYPE_URL.equals(typeUrl)) {
            return LegacyModelPayload.read(bytes.toByteArray());
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("Unknown CraneModel version " + version + ", this class reads versions 0 and " + VERSION);
        }
        if (!TYPE_URL.equals(typeUrl)) {
            throw new InvalidProtocolBufferException("Not a CRANE model payload: " + typeUrl);
        }
        CraneModelDataProto p = CraneModelDataProto.parseFrom(bytes);
        @SuppressWarnings("unchecked")
        ModelDataCarrier<ItemId> carrier = (ModelDataCarrier<ItemId>) ModelDataCarrier.deserialize(ModelDataProto.parseFrom(p.getTribuoModelData()));
        long[] ids = p.getUserIdsList().stream().mapToLong(Long::longValue).toArray();
        int[][] seen = new int[p.getSeenCount()][];
        for (int u = 0; u < seen.length; u++) {
            seen[u] = p.getSeen(u).getItemsList().stream().mapToInt(Integer::intValue).toArray();
        }
        List<CraneModel.EpochRecord> history = new ArrayList<>(p.getHistoryCount());
        for (EpochRecordProto r : p.getHistoryList()) {
            history.add(fromProto(r));
        }
        return checked(carrier, ids, p.getNumItems(), p.getEmbeddingSize(), unboxed(p.getUserEmbeddingsList()),
                unboxed(p.getItemEmbeddingsList()), seen, unboxed(p.getPopularityList()), p.getPopularityFallback(), p.getTopK(), history,
                p.getBestEpoch());
    }

    /** Builds the model once its arrays agree with each other and with the counts. */
    static CraneModel checked(ModelDataCarrier<ItemId> carrier, long[] ids, int n, int d, float[] userEmb, float[] itemEmb, int[][] seen,
                              float[] pop, boolean fallback, int topK, List<CraneModel.EpochRecord> history, int bestEpoch)
            throws InvalidProtocolBufferException {
        int m = ids.length;
        if (bestEpoch < 0 || (bestEpoch > 0 && history.stream().noneMatch(r -> r.epoch() == bestEpoch))) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: best epoch " + bestEpoch + " is not in its epoch log");
        }
        if (n < 1 || d < 1 || topK < 1) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: " + n + " items, width " + d + ", top-K " + topK);
        }
        IdMap users = IdMap.of(ids);
        if (users.size() != m) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: duplicate user ids");
        }
        if (userEmb.length != (long) m * d || itemEmb.length != (long) n * d || seen.length != m || pop.length != n) {
            throw new InvalidProtocolBufferException("Corrupt CRANE model: arrays of " + userEmb.length + ", " + itemEmb.length + ", "
                    + seen.length + " and " + pop.length + " entries for " + m + " users, " + n + " items, width " + d);
        }
        for (int u = 0; u < m; u++) {
            for (int q = 0; q < seen[u].length; q++) {
                int i = seen[u][q];
                if (i < 0 || i >= n || (q > 0 && i <= seen[u][q - 1])) {
                    throw new InvalidProtocolBufferException("Corrupt CRANE model: bad seen item " + i + " of user " + u);
                }
            }
        }
        return new CraneModel(carrier.name(), carrier.provenance(), carrier.featureDomain(), carrier.outputDomain(), users, n, d,
                userEmb, itemEmb, seen, pop, fallback, topK, history, bestEpoch);
    }

    /** @return the epoch record as a message. */
    static EpochRecordProto toProto(CraneModel.EpochRecord r) {
        return EpochRecordProto.newBuilder().setEpoch(r.epoch()).setLoss(r.loss()).setValidRecall20(r.validRecall20())
                .setValidNdcg20(r.validNdcg20()).setSeconds(r.seconds()).build();
    }

    /** @return the epoch record a message holds. */
    static CraneModel.EpochRecord fromProto(EpochRecordProto r) {
        return new CraneModel.EpochRecord(r.getEpoch(), r.getLoss(), r.getValidRecall20(), r.getValidNdcg20(), r.getSeconds());
    }

    /** @return a read-only list view of the array, for a repeated float field's addAll. */
    static List<Float> boxed(float[] a) {
        return new AbstractList<>() {
            @Override
            public Float get(int index) {
                return a[index];
            }

            @Override
            public int size() {
                return a.length;
            }
        };
    }

    /** @return the values of a repeated float field. */
    static float[] unboxed(List<Float> list) {
        float[] a = new float[list.size()];
        if (list instanceof Internal.FloatList fl) {
            for (int k = 0; k < a.length; k++) {
                a[k] = fl.getFloat(k);
            }
        } else {
            for (int k = 0; k < a.length; k++) {
                a[k] = list.get(k);
            }
        }
        return a;
    }
}
