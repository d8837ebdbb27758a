package org.crane;

import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.OutputInfo;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIdTest {
    @Test
    void equalityUsesIdOnly() {
        assertEquals(new ItemId("7", 1.0), new ItemId("7", 2.0));
        assertFalse(new ItemId("7", 1.0).fullEquals(new ItemId("7", 2.0)));
        assertTrue(new ItemId("7", 1.0).fullEquals(new ItemId("7", 1.05), 0.1));
        assertNotEquals(new ItemId("7"), new ItemId("8"));
        assertThrows(IllegalArgumentException.class, () -> new ItemId(""));
    }

    @Test
    void outputProtoRoundTrip() {
        ItemId i = new ItemId("item-42");
        assertEquals(i, Output.deserialize(i.serialize()));
    }

    @Test
    void factoryProtoRoundTripAndProvenance() {
        OutputFactory<?> f = OutputFactory.deserialize(ItemIdFactory.INSTANCE.serialize());
        assertEquals(ItemIdFactory.INSTANCE, f);
        assertEquals(new ItemId("3"), ItemIdFactory.INSTANCE.generateOutput(3));
        assertEquals(ItemIdFactory.class.getName(), f.getProvenance().getClassName());
    }

    @Test
    void infoCountsAndRoundTrips() {
        MutableOutputInfo<ItemId> info = ItemIdFactory.INSTANCE.generateInfo();
        info.observe(new ItemId("a"));
        info.observe(new ItemId("b"));
        info.observe(new ItemId("a"));
        info.observe(ItemIdFactory.INSTANCE.getUnknownOutput());
        assertEquals(2, info.size());
        assertEquals(1, info.getUnknownCount());
        ImmutableOutputInfo<ItemId> imm = info.generateImmutableOutputInfo();
        assertEquals(0, imm.getID(new ItemId("a")));
        assertEquals(new ItemId("b"), imm.getOutput(1));
        assertEquals(3, imm.getTotalObservations());
        assertThrows(IllegalStateException.class, () -> ((MutableOutputInfo<ItemId>) imm).observe(new ItemId("c")));
        assertEquals(imm, OutputInfo.deserialize(imm.serialize()));
        assertEquals(info, OutputInfo.deserialize(info.serialize()));
        assertEquals(2L, ((ItemIdInfo) OutputInfo.deserialize(imm.serialize())).getCount("a"));
    }

    @Test
    void externalMappingIsDense() {
        ImmutableOutputInfo<ItemId> imm = ItemIdFactory.INSTANCE.constructInfoForExternalModel(Map.of(new ItemId("x"), 1, new ItemId("y"), 0));
        assertEquals(new ItemId("y"), imm.getOutput(0));
        assertEquals(1, imm.getID(new ItemId("x")));
    }
}
