package org.crane.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Checkpoints of earlier builds still resume: fields added since enter the fingerprint only when they change the maths. */
class RunFingerprintTest {
    private static String fingerprint(CraneTrainer t, String... without) {
        Map<String, Provenance> fields = new HashMap<>();
        t.getProvenance().forEach(p -> fields.put(p.getA(), p.getB()));
        for (String f : without) {
            fields.remove(f);
        }
        TrainerProvenance p = new TrainerProvenanceImpl(fields);
        return RunFingerprint.of(p, List.of("h"), TrainingData.of(DemoFixture.get().train, -1), null);
    }

    @Test
    void newFieldsAtTheirExactValuesLeaveTheFingerprintOfEarlierBuilds() {
        CraneTrainer defaults = new CraneTrainer.Builder().build();
        String earlier = fingerprint(defaults, "knnIndex", "knnEfSearch", "historyRefreshSteps", "semanticUpdateSteps");
        assertEquals(earlier, fingerprint(defaults));
        assertEquals(earlier, fingerprint(new CraneTrainer.Builder().historyRefreshSteps(1).build()), "exact steps asked for");
        assertNotEquals(earlier, fingerprint(new CraneTrainer.Builder().knnIndex("hnsw").build()));
        assertNotEquals(earlier, fingerprint(new CraneTrainer.Builder().historyRefreshSteps(5).build()));
        assertEquals(fingerprint(new CraneTrainer.Builder().historyRefreshSteps(5).semanticUpdateSteps(1).build()),
                fingerprint(new CraneTrainer.Builder().historyRefreshSteps(5).build()), "auto gives 1 on a catalogue within a batch");
        assertNotEquals(fingerprint(new CraneTrainer.Builder().historyRefreshSteps(5).build()),
                fingerprint(new CraneTrainer.Builder().historyRefreshSteps(5).semanticUpdateSteps(2).build()));
        assertNotEquals(earlier, fingerprint(new CraneTrainer.Builder().knnK(5).build()), "other fields still count");
    }
}
