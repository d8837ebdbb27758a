package org.crane;

import com.google.protobuf.Any;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.crane.RankingEvaluation;
import org.crane.RankingEvaluator;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.OutputFactory;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.protos.core.OutputFactoryProto;
import org.tribuo.provenance.OutputFactoryProvenance;

import java.util.Map;

/**
 * Makes {@link ItemId} outputs from item ids ({@code toString()} of the input). Stateless: all
 * instances are equal.
 */
public final class ItemIdFactory implements OutputFactory<ItemId> {
    private static final long serialVersionUID = 1L;

    /** The shared instance. */
    public static final ItemIdFactory INSTANCE = new ItemIdFactory();

    private static final ItemId UNKNOWN = new ItemId(ItemId.UNKNOWN);

    /** Creates a factory (for OLCUT; prefer {@link #INSTANCE}). */
    public ItemIdFactory() {
    }

    /**
     * Protobuf deserialization entry point, found reflectively by Tribuo.
     * @param version the serialized version.
     * @param className the class name.
     * @param message the (empty) payload.
     * @return the factory.
     */
    public static ItemIdFactory deserializeFromProto(int version, String className, Any message) {
        if (version != 0) {
            throw new IllegalArgumentException("Unknown ItemIdFactory version " + version + ", this class reads version 0");
        }
        return INSTANCE;
    }

    @Override
    public OutputFactoryProto serialize() {
        return OutputFactoryProto.newBuilder().setVersion(0).setClassName(ItemIdFactory.class.getName()).build();
    }

    @Override
    public <V> ItemId generateOutput(V label) {
        return new ItemId(label.toString());
    }

    @Override
    public ItemId getUnknownOutput() {
        return UNKNOWN;
    }

    @Override
    public MutableOutputInfo<ItemId> generateInfo() {
        return new ItemIdInfo();
    }

    @Override
    public ImmutableOutputInfo<ItemId> constructInfoForExternalModel(Map<ItemId, Integer> mapping) {
        OutputFactory.validateMapping(mapping);
        return ItemIdInfo.fromMapping(mapping);
    }

    @Override
    public Evaluator<ItemId, RankingEvaluation> getEvaluator() {
        return new RankingEvaluator();
    }

    @Override
    public Class<ItemId> getTypeWitness() {
        return ItemId.class;
    }

    @Override
    public OutputFactoryProvenance getProvenance() {
        return new ItemIdFactoryProvenance();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemIdFactory;
    }

    @Override
    public int hashCode() {
        return ItemIdFactory.class.getName().hashCode();
    }

    /** Provenance of the stateless {@link ItemIdFactory}. */
    public static final class ItemIdFactoryProvenance implements OutputFactoryProvenance {
        private static final long serialVersionUID = 1L;

        ItemIdFactoryProvenance() {
        }

        /**
         * Unmarshalling constructor; the factory has no state, so the map is ignored.
         * @param map the provenance map.
         */
        public ItemIdFactoryProvenance(Map<String, Provenance> map) {
        }

        @Override
        public String getClassName() {
            return ItemIdFactory.class.getName();
        }

        @Override
        public String toString() {
            return generateString("OutputFactory");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ItemIdFactoryProvenance;
        }

        @Override
        public int hashCode() {
            return 37;
        }
    }
}
