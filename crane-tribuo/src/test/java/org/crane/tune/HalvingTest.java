package org.crane.tune;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HalvingTest {
    @Test
    void eachRungKeepsTheCeilingOfOneEtaThOfItsPoints() {
        Halving h = new Halving(List.of(20, 60), 3);
        assertEquals(3, h.rungs());
        assertArrayEquals(new int[]{16, 6, 2}, h.pointsPerRung(16));
        assertArrayEquals(new int[]{1, 1, 1}, h.pointsPerRung(1));
        assertEquals(20, h.epochs(0, 1000));
        assertEquals(60, h.epochs(1, 1000));
        assertEquals(1000, h.epochs(2, 1000), "the last rung is the trainer's own budget");
        assertEquals(30, h.epochs(1, 30), "a rung never trains past the trainer's budget");
        assertArrayEquals(new int[]{5}, Halving.NONE.pointsPerRung(5));
    }

    @Test
    void refusesSchedulesThatDoNotRise() {
        assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(20, 20), 2));
        assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(0), 2));
        assertThrows(IllegalArgumentException.class, () -> new Halving(List.of(5), 1));
    }
}
