package org.crane.tune;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    @Test
    void aGridEnumeratesEveryCombinationLastFieldFastest() {
        SearchSpace s = SearchSpace.parse(List.of("learningRate=0.001,0.005", "userItemLayers=int(1,3)"));
        List<Map<String, String>> g = s.grid();
        assertEquals(6, g.size());
        assertEquals(Map.of("learningRate", "0.001", "userItemLayers", "1"), g.get(0));
        assertEquals(Map.of("learningRate", "0.001", "userItemLayers", "2"), g.get(1));
        assertEquals(Map.of("learningRate", "0.005", "userItemLayers", "3"), g.get(5));
        assertEquals(6, Set.copyOf(g).size(), "no point twice");
    }

    @Test
    void randomPointsStayInTheirRangesAndRepeatWithTheSeed() {
        SearchSpace s = SearchSpace.parse(List.of("learningRate=loguniform(1e-4,1e-2)", "edgeDropRate=uniform(0,0.5)",
                "userItemLayers=int(1,4)", "semanticCoupling=JOINT,RESIDUAL"));
        List<Map<String, String>> a = s.random(400, 7);
        assertEquals(a, s.random(400, 7), "the same seed, the same points");
        int belowMid = 0;
        for (Map<String, String> p : a) {
            double lr = Double.parseDouble(p.get("learningRate"));
            assertTrue(lr >= 1e-4 * 0.999 && lr <= 1e-2 * 1.001, "learningRate " + lr);
            belowMid += lr < 1e-3 ? 1 : 0;
            double drop = Double.parseDouble(p.get("edgeDropRate"));
            assertTrue(drop >= 0 && drop <= 0.5, "edgeDropRate " + drop);
            int layers = Integer.parseInt(p.get("userItemLayers"));
            assertTrue(layers >= 1 && layers <= 4);
        }
        // log-uniform: half of the draws below the geometric midpoint 1e-3 (a uniform draw would put 9 %)
        assertTrue(belowMid > 150 && belowMid < 250, belowMid + " of 400 below 1e-3");
        assertEquals(Set.of("1", "2", "3", "4"), a.stream().map(p -> p.get("userItemLayers")).collect(Collectors.toSet()));
    }

    @Test
    void badEntriesAreRefusedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("epochs=1,2"))).getMessage()
                .contains("CraneTrainer has no field 'epochs'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("learningRate=loguniform(0,1)"))).getMessage()
                .contains("search entry 'learningRate=loguniform(0,1)'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("learningRate"))).getMessage()
                .contains("not of the form field=values"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("learningRate=uniform(0,1)")).grid())
                .getMessage().contains("continuous range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse(List.of("knnK=1,2", "knnK=3"))).getMessage()
                .contains("searched twice"));
    }
}
