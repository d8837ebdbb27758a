package org.crane.data;

import org.crane.RankingEvaluator;
import org.crane.eval.MatrixScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDatasetTest {
    @TempDir
    Path dir;

    @Test
    void deterministicForASeed() throws IOException {
        DemoDataset.write(dir.resolve("a"), 5);
        DemoDataset.write(dir.resolve("b"), 5);
        DemoDataset.write(dir.resolve("c"), 6);
        for (String f : List.of(DemoDataset.INTER_FILE, "image.npy", "text.npy")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve("text.npy")),
                Files.readAllBytes(dir.resolve("c").resolve("text.npy"))));
    }

    @Test
    void loadsInMmrecLayoutWithTheAdvertisedShape() throws IOException {
        DemoDataset.write(dir, DemoDataset.SEED);
        DataDirectory.LoadedData d = DataDirectory.resolve(dir, List.of()).load();
        assertEquals(DemoDataset.USERS, d.interactions().numUsers());
        assertEquals(DemoDataset.ITEMS, d.interactions().numItems());
        assertEquals(List.of("image", "text"), d.features().getModalities().stream().map(FeatureMatrix::name).toList());
        for (Split s : Split.values()) {
            assertTrue(d.interactions().count(s) > 0, s.label());
        }
    }

    /** The planted clusters make a content-based scorer beat popularity by a wide margin. */
    @Test
    void plantedStructureBeatsPopularity() throws IOException {
        DemoDataset.write(dir, DemoDataset.SEED);
        DataDirectory.LoadedData d = DataDirectory.resolve(dir, List.of()).load();
        Interactions in = d.interactions();
        int[][] train = in.itemsByUser(Split.TRAIN);
        int[][] test = in.itemsByUser(Split.TEST);
        int n = in.numItems();
        float[] pop = new float[n];
        for (int[] t : train) {
            for (int i : t) {
                pop[i]++;
            }
        }
        FeatureMatrix text = d.features().getModalities().get(1);
        float[][] popScores = new float[train.length][];
        float[][] contentScores = new float[train.length][n];
        for (int u = 0; u < train.length; u++) {
            popScores[u] = pop;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j : train[u]) {
                    double dot = 0;
                    for (int c = 0; c < text.cols(); c++) {
                        dot += text.get(i, c) * text.get(j, c);
                    }
                    s += dot;
                }
                contentScores[u][i] = (float) (s + 0.02 * pop[i]);
            }
        }
        RankingEvaluator ev = new RankingEvaluator(20);
        double popRecall = ev.evaluate(new MatrixScorer(popScores, train), test).means().get("Recall@20");
        double contentRecall = ev.evaluate(new MatrixScorer(contentScores, train), test).means().get("Recall@20");
        assertTrue(popRecall > 0.02, "popularity should find something: " + popRecall);
        assertTrue(contentRecall > 1.5 * popRecall, "content " + contentRecall + " vs popularity " + popRecall);
    }
}
