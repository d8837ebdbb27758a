package org.crane.examples;

import org.crane.RankingEvaluation;
import org.crane.train.CraneModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every example with a small epoch budget and checks what it produces. */
class ExamplesTest {
    @Test
    void trainOnDemo() throws Exception {
        RankingEvaluation ev = TrainOnDemo.run(3);
        assertTrue(ev.get("Recall@20") > 0.05, ev.toString());
    }

    @Test
    void trainFromXml() throws Exception {
        CraneModel m = TrainFromXml.run(2);
        assertEquals(2, m.getHistory().size());
    }

    @Test
    void compareProvenance() throws Exception {
        Map<String, List<String>> diff = CompareProvenance.run(1);
        assertEquals(List.of("trainer.temperature"), List.copyOf(diff.keySet()));
    }

    @Test
    void tuneOnDemo() throws Exception {
        org.crane.tune.CraneTuner.Result r = TuneOnDemo.run(3);
        assertEquals(6, r.trials().size());
        assertTrue(r.chosen().full(), "the chosen point was trained in full");
        assertEquals(2, r.models().size());
    }

    @Test
    void exportAndScore() throws Exception {
        long[] items = ExportAndScore.run(2);
        assertTrue(items.length >= 5);
    }
}
