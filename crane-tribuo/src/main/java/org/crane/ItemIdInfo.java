package org.crane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.oracle.labs.mlrg.olcut.util.MutableLong;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.protos.core.OutputDomainProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The domain of {@link ItemId} outputs seen in a dataset: each item with its interaction count.
 * <p>
 * One class serves as both the mutable info (while a dataset is built) and the immutable one
 * (ids are dense, in first-seen order), as the two differ only in whether {@link #observe} is allowed.
 */
public final class ItemIdInfo implements MutableOutputInfo<ItemId>, ImmutableOutputInfo<ItemId> {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, MutableLong> counts;
    private final Map<String, Integer> ids;
    private final List<String> byId;
    private final boolean immutable;
    private int unknownCount;

    ItemIdInfo() {
        this.counts = new LinkedHashMap<>();
        this.ids = new LinkedHashMap<>();
        this.byId = new ArrayList<>();
        this.immutable = false;
    }

    private ItemIdInfo(ItemIdInfo other, boolean immutable) {
        this.counts = new LinkedHashMap<>();
        for (Map.Entry<String, MutableLong> e : other.counts.entrySet()) {
            counts.put(e.getKey(), new MutableLong(e.getValue().longValue()));
        }
        this.ids = new LinkedHashMap<>(other.ids);
        this.byId = new ArrayList<>(other.byId);
        this.immutable = immutable;
        this.unknownCount = other.unknownCount;
    }

    /**
     * Builds an immutable info from an explicit id mapping (for external models).
     * @param mapping item to dense id, ids 0..n-1.
     * @return the info.
     */
    static ItemIdInfo fromMapping(Map<ItemId, Integer> mapping) {
        ItemIdInfo info = new ItemIdInfo();
        String[] order = new String[mapping.size()];
        for (Map.Entry<ItemId, Integer> e : mapping.entrySet()) {
            order[e.getValue()] = e.getKey().getId();
        }
        for (String s : order) {
            info.observe(new ItemId(s));
        }
        return new ItemIdInfo(info, true);
    }

    @Override
    public void observe(ItemId output) {
        if (immutable) {
            throw new IllegalStateException("This ItemIdInfo is immutable");
        }
        if (ItemId.UNKNOWN.equals(output.getId())) {
            unknownCount++;
            return;
        }
        MutableLong c = counts.get(output.getId());
        if (c == null) {
            counts.put(output.getId(), new MutableLong(1));
            ids.put(output.getId(), byId.size());
            byId.add(output.getId());
        } else {
            c.increment();
        }
    }

    @Override
    public void clear() {
        if (immutable) {
            throw new IllegalStateException("This ItemIdInfo is immutable");
        }
        counts.clear();
        ids.clear();
        byId.clear();
        unknownCount = 0;
    }

    /**
     * @param id an external item id.
     * @return how many times it was observed (0 if never).
     */
    public long getCount(String id) {
        MutableLong c = counts.get(id);
        return c == null ? 0 : c.longValue();
    }

    @Override
    public Set<ItemId> getDomain() {
        Set<ItemId> s = new LinkedHashSet<>();
        for (String id : byId) {
            s.add(new ItemId(id));
        }
        return Collections.unmodifiableSet(s);
    }

    @Override
    public int size() {
        return byId.size();
    }

    @Override
    public int getUnknownCount() {
        return unknownCount;
    }

    @Override
    public ImmutableOutputInfo<ItemId> generateImmutableOutputInfo() {
        return new ItemIdInfo(this, true);
    }

    @Override
    public MutableOutputInfo<ItemId> generateMutableOutputInfo() {
        return new ItemIdInfo(this, false);
    }

    @Override
    public ItemIdInfo copy() {
        return new ItemIdInfo(this, immutable);
    }

    @Override
    public String toReadableString() {
        return "ItemIdInfo(items=" + byId.size() + ", observations=" + getTotalObservations() + ", unknown=" + unknownCount + ")";
    }

    @Override
    public Iterable<Pair<String, Long>> outputCountsIterable() {
        List<Pair<String, Long>> l = new ArrayList<>(counts.size());
        for (Map.Entry<String, MutableLong> e : counts.entrySet()) {
            l.add(new Pair<>(e.getKey(), e.getValue().longValue()));
        }
        return l;
    }

    @Override
    public int getID(ItemId output) {
        Integer i = ids.get(output.getId());
        return i == null ? -1 : i;
    }

    @Override
    public ItemId getOutput(int id) {
        return id >= 0 && id < byId.size() ? new ItemId(byId.get(id)) : null;
    }

    @Override
    public long getTotalObservations() {
        long t = 0;
        for (MutableLong c : counts.values()) {
            t += c.longValue();
        }
        return t;
    }

    @Override
    public Iterator<Pair<Integer, ItemId>> iterator() {
        List<Pair<Integer, ItemId>> l = new ArrayList<>(byId.size());
        for (int i = 0; i < byId.size(); i++) {
            l.add(new Pair<>(i, new ItemId(byId.get(i))));
        }
        return l.iterator();
    }

    @Override
    public OutputDomainProto serialize() {
        ListValue.Builder idList = ListValue.newBuilder();
        ListValue.Builder countList = ListValue.newBuilder();
        for (Map.Entry<String, MutableLong> e : counts.entrySet()) {
            idList.addValues(Value.newBuilder().setStringValue(e.getKey()));
            countList.addValues(Value.newBuilder().setNumberValue(e.getValue().longValue()));
        }
        Struct s = Struct.newBuilder()
                .putFields("ids", Value.newBuilder().setListValue(idList).build())
                .putFields("counts", Value.newBuilder().setListValue(countList).build())
                .putFields("unknown", Value.newBuilder().setNumberValue(unknownCount).build())
                .putFields("immutable", Value.newBuilder().setBoolValue(immutable).build())
                .build();
        return OutputDomainProto.newBuilder().setVersion(0).setClassName(ItemIdInfo.class.getName())
                .setSerializedData(Any.pack(s)).build();
    }

    /**
     * Protobuf deserialization entry point, found reflectively by Tribuo.
     * @param version the serialized version.
     * @param className the class name.
     * @param message the packed domain.
     * @return the info.
     * @throws InvalidProtocolBufferException when the payload is malformed.
     */
    public static ItemIdInfo deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        if (version != 0) {
            throw new IllegalArgumentException("Unknown ItemIdInfo version " + version + ", this class reads version 0");
        }
        Struct s = message.unpack(Struct.class);
        List<Value> idValues = s.getFieldsOrThrow("ids").getListValue().getValuesList();
        List<Value> countValues = s.getFieldsOrThrow("counts").getListValue().getValuesList();
        if (idValues.size() != countValues.size()) {
            throw new IllegalArgumentException("Corrupt ItemIdInfo: " + idValues.size() + " ids but " + countValues.size() + " counts");
        }
        ItemIdInfo info = new ItemIdInfo();
        for (int i = 0; i < idValues.size(); i++) {
            String id = idValues.get(i).getStringValue();
            info.counts.put(id, new MutableLong((long) countValues.get(i).getNumberValue()));
            info.ids.put(id, i);
            info.byId.add(id);
        }
        info.unknownCount = (int) s.getFieldsOrThrow("unknown").getNumberValue();
        return s.getFieldsOrThrow("immutable").getBoolValue() ? new ItemIdInfo(info, true) : info;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ItemIdInfo)) {
            return false;
        }
        ItemIdInfo other = (ItemIdInfo) o;
        if (immutable != other.immutable || unknownCount != other.unknownCount || !byId.equals(other.byId)) {
            return false;
        }
        for (String id : byId) {
            if (getCount(id) != other.getCount(id)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return byId.hashCode() * 31 + unknownCount;
    }

    @Override
    public String toString() {
        return toReadableString();
    }
}
