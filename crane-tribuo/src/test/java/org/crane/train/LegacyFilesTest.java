package org.crane.train;

import org.crane.Recommendation;
import org.crane.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files of the formats before the protobuf messages (see src/test/resources/legacy/README.md). */
class LegacyFilesTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = LegacyFilesTest.class.getResourceAsStream("/legacy/" + name)) {
            Path f = dir.resolve(name);
            Files.copy(in, f);
            return f;
        }
    }

    @Test
    void aModelOfPayloadVersion0StillLoadsAndServes() throws IOException {
        CraneModel m = ModelFiles.load(resource("payload-v0.model"));
        assertEquals(12, m.numUsers());
        assertEquals(8, m.numItems());
        int d = m.getEmbeddingSize();
        assertEquals(4, d);
        float[] u = m.getUserEmbeddings();
        float[] it = m.getItemEmbeddings();
        for (int user = 0; user < m.numUsers(); user++) {
            String id = m.getUsers().externalId(user);
            int[] seen = m.excludedItems(user);
            List<Recommendation> recs = m.recommend(id, 8);
            assertEquals(8 - seen.length, recs.size(), "every unseen item, once");
            for (Recommendation r : recs) {
                int item = Integer.parseInt(r.itemId());
                assertTrue(Arrays.binarySearch(seen, item) < 0, "training items are excluded");
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += u[user * d + c] * it[item * d + c];
                }
                assertEquals(dot, r.score(), 1e-5, "the score is the dot product of the stored representations");
            }
        }
        // saved again, it is written in the current format and reads back the same
        Path again = dir.resolve("again.model");
        ModelFiles.save(m, again);
        CraneModel m2 = ModelFiles.load(again);
        assertEquals(m.recommend("3", 5), m2.recommend("3", 5));
        assertFalse(Arrays.equals(Files.readAllBytes(again), Files.readAllBytes(dir.resolve("payload-v0.model"))));
    }

    @Test
    void aCheckpointOfFormatVersion2IsRefusedWithTheBuildThatReadsIt() throws IOException {
        Path f = resource("checkpoint-v2.ckpt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TrainingCheckpoint.load(f));
        assertTrue(e.getMessage().contains("checkpoint-v2.ckpt: checkpoint format version 2 is not read by this build (it reads 3; "
                + "the checkpoint was written by an earlier build"), e.getMessage());
    }
}
