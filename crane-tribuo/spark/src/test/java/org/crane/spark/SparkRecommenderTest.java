package org.crane.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crane.Recommendation;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API in Spark local mode against the model's own recommend, on the demo data. */
class SparkRecommenderTest {
    static SparkSession spark;
    static CraneModel model;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, org.crane.cli.CraneCli.execute(new String[]{"demo", "--write-data", data.toString()}, sink(), sink()));
        Path m = dir.resolve("m.model");
        assertEquals(0, org.crane.cli.CraneCli.execute(new String[]{"train", "--data", data.toString(), "--set", "maxEpochs=2",
                "--set", "embeddingSize=16", "--out", m.toString()}, sink(), sink()));
        model = ModelFiles.load(m);
        spark = SparkSession.builder().master("local[2]").appName("test").config("spark.ui.enabled", "false")
                .config("spark.local.dir", dir.resolve("spark").toString()).getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static java.io.PrintWriter sink() {
        return new java.io.PrintWriter(java.io.Writer.nullWriter());
    }

    /** @return user -> recommendations in rank order, from a result's rows. */
    static Map<String, List<Row>> byUser(List<Row> rows) {
        Map<String, List<Row>> out = new HashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.getString(0), u -> new ArrayList<>()).add(r);
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(r -> r.getInt(1))));
        return out;
    }

    @Test
    void onnxScoringEqualsTheModelForEveryUserWithManySmallBlocks() {
        int k = 15;
        // blocks that divide neither catalogue nor user table: every merge path runs
        SparkRecommender.Result r = new SparkRecommender(k, 37, 53, Scoring.ONNX).recommend(spark, model, null);
        Map<String, List<Row>> got = byUser(r.recommendations().collectAsList());
        assertEquals(0, r.unknownUsers().count());
        assertEquals(model.numUsers(), got.size());
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < model.numUsers(); u++) {
            ids.add(model.getUsers().externalId(u));
        }
        List<List<Recommendation>> want = model.recommend(ids, k, false);
        for (int u = 0; u < ids.size(); u++) {
            List<Row> g = got.get(ids.get(u));
            assertEquals(want.get(u).size(), g.size(), ids.get(u));
            for (int j = 0; j < g.size(); j++) {
                Recommendation w = want.get(u).get(j);
                assertEquals(w.rank(), g.get(j).getInt(1));
                assertEquals(w.itemId(), g.get(j).getString(2), "user " + ids.get(u) + " rank " + w.rank());
                assertEquals(w.score(), g.get(j).getFloat(3), 0f, "user " + ids.get(u) + " rank " + w.rank());
            }
        }
    }

    @Test
    void jvmScoringAgreesToFloatRoundingAndUnknownUsersAreReported() {
        int k = 10;
        List<String> asked = List.of("3", "nobody", "17", "3", "-1");
        SparkRecommender.Result r = new SparkRecommender(k, 5, 100, Scoring.JVM)
                .recommend(spark, model, spark.createDataset(asked, org.apache.spark.sql.Encoders.STRING()).toDF("user"));
        assertEquals(List.of("-1", "nobody"), r.unknownUsers().collectAsList().stream().map(x -> x.getString(0)).sorted().toList());
        Map<String, List<Row>> got = byUser(r.recommendations().collectAsList());
        assertEquals(java.util.Set.of("3", "17"), got.keySet());
        for (String u : got.keySet()) {
            List<Recommendation> want = model.recommend(u, k);
            for (int j = 0; j < k; j++) {
                float ws = want.get(j).score();
                float gs = got.get(u).get(j).getFloat(3);
                assertEquals(ws, gs, 1e-5f * Math.max(1f, Math.abs(ws)), "user " + u + " rank " + (j + 1));
                // an item may differ only where two scores tie to rounding
                assertTrue(want.get(j).itemId().equals(got.get(u).get(j).getString(2)) || Math.abs(ws - gs) < 1e-5f);
            }
        }
    }

    @Test
    void itemBlocksCoverTheCatalogueInOrder() {
        float[] emb = new float[7 * 2];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = i;
        }
        List<ItemBlock> b = SparkRecommender.itemBlocks(emb, 2, 3);
        assertEquals(List.of(0, 3, 6), b.stream().map(ItemBlock::start).toList());
        assertEquals(List.of(3, 3, 1), b.stream().map(x -> x.count(2)).toList());
        assertEquals(12f, b.get(2).embeddings()[0]);
    }
}
