package org.crane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import org.tribuo.Output;
import org.tribuo.protos.core.OutputProto;

import java.util.Objects;

/**
 * A Tribuo {@link Output} naming one item of the catalogue, optionally with a score.
 * <p>
 * Equality and hash code use the item id only (like Tribuo's {@code Label}); {@link #fullEquals}
 * also compares the score. An example whose output is an ItemId records that its user interacted
 * with the item; a prediction's ItemId is the recommended item and its ranking score.
 */
public final class ItemId implements Output<ItemId> {
    private static final long serialVersionUID = 1L;

    /** The id used for unknown outputs (unlabelled examples). */
    public static final String UNKNOWN = "ITEM##UNKNOWN";

    private final String id;
    private final double score;

    /**
     * An item id with a score.
     * @param id the external item id, not empty.
     * @param score the score (NaN when there is none).
     */
    public ItemId(String id, double score) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("An item id must be a non-empty string");
        }
        this.id = id;
        this.score = score;
    }

    /**
     * An item id without a score.
     * @param id the external item id, not empty.
     */
    public ItemId(String id) {
        this(id, Double.NaN);
    }

    /** @return the external item id. */
    public String getId() {
        return id;
    }

    /** @return the score, or NaN when this id carries none. */
    public double getScore() {
        return score;
    }

    /**
     * Protobuf deserialization entry point, found reflectively by Tribuo.
     * @param version the serialized version.
     * @param className the class name.
     * @param message the packed id.
     * @return the item id.
     * @throws InvalidProtocolBufferException when the payload is not a packed string.
     */
    public static ItemId deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        if (version != 0) {
            throw new IllegalArgumentException("Unknown ItemId version " + version + ", this class reads version 0");
        }
        StringValue v = message.unpack(StringValue.class);
        return new ItemId(v.getValue());
    }

    @Override
    public OutputProto serialize() {
        return OutputProto.newBuilder().setVersion(0).setClassName(ItemId.class.getName())
                .setSerializedData(Any.pack(StringValue.of(id))).build();
    }

    @Override
    public ItemId copy() {
        return new ItemId(id, score);
    }

    @Override
    public String getSerializableForm(boolean includeConfidence) {
        return includeConfidence && !Double.isNaN(score) ? id + ":" + score : id;
    }

    @Override
    public boolean fullEquals(ItemId other) {
        return id.equals(other.id) && Double.compare(score, other.score) == 0;
    }

    @Override
    public boolean fullEquals(ItemId other, double tolerance) {
        return id.equals(other.id) && (Double.compare(score, other.score) == 0 || Math.abs(score - other.score) <= tolerance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemId && ((ItemId) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String toString() {
        return Double.isNaN(score) ? id : "(" + id + "," + score + ")";
    }
}
