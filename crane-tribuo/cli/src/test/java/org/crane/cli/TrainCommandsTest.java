package org.crane.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.crane.train.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.crane.cli.CliRunner.concat;
import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train, evaluate, recommend and export from the command line, on the demo data. */
class TrainCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static CliRunner.Run trained;

    @BeforeAll
    static void trainOnce() {
        data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        model = dir.resolve("out").resolve("demo.model");
        trained = run("train", "--data", data.toString(), "--set", "maxEpochs=3", "--set", "embeddingSize=16", "--set", "learningRate=0.005",
                "--out", model.toString());
    }

    @Test
    void trainPrintsLogAndMetricsAndWritesModelWithProvenance() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("valid Recall@20"), trained.out());
        assertTrue(trained.out().contains("test ") && trained.out().contains("Recall"), trained.out());
        assertTrue(Files.size(model) > 0);
        String prov = Files.readString(ModelFiles.provenancePath(model));
        assertTrue(prov.contains("learningRate") && prov.contains("0.005"), "--set is recorded in the provenance");
    }

    @Test
    void evaluateRecommendExport() throws Exception {
        CliRunner.Run ev = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "valid");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("Recall") && ev.out().contains("@20"), ev.out());
        CliRunner.Run rec = run("recommend", "--model", model.toString(), "--user", "5", "-k", "3");
        assertEquals(0, rec.code(), rec.err());
        assertEquals(3 + 3, rec.out().strip().split("\n").length, rec.out());
        Path tsv = dir.resolve("all.tsv");
        CliRunner.Run all = run("recommend", "--model", model.toString(), "--all-users", "-k", "4", "--out", tsv.toString());
        assertEquals(0, all.code(), all.err());
        List<String> lines = Files.readAllLines(tsv);
        assertEquals("user\trank\titem\tscore", lines.get(0));
        assertEquals(1 + 4 * 1000, lines.size());
        assertTrue(lines.get(1).startsWith("0\t1\t"));
        Path onnx = dir.resolve("m.onnx");
        assertEquals(0, run("export", "--model", model.toString(), "--onnx", onnx.toString()).code());
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), o)) {
            assertTrue(s.getInputNames().contains("user"));
        }
    }

    @Test
    void exportedGraphScoresABatchWithUnknownUsersAndEmbeddingsReproduceRecommend() throws Exception {
        org.crane.train.CraneModel m = ModelFiles.load(model);
        Path onnx = dir.resolve("batch.onnx");
        Path emb = dir.resolve("emb");
        CliRunner.Run r = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "-k", "5", "--embeddings", emb.toString());
        assertEquals(0, r.code(), r.err());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] batch = {0, 3, 1_000_000, -1};
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(onnx.toString(), o);
             ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(batch), new long[]{batch.length});
             OrtSession.Result out = s.run(java.util.Map.of("user", in))) {
            long[][] items = (long[][]) out.get("items").get().getValue();
            float[] known = (float[]) out.get("known").get().getValue();
            assertEquals(5, items[0].length, "k chosen at export");
            assertEquals(java.util.List.of(1f, 1f, 0f, 0f), java.util.List.of(known[0], known[1], known[2], known[3]), "unknown indices are flagged");
            java.util.Map<String, String> meta = s.getMetadata().getCustomMetadata();
            List<?> ids = new com.fasterxml.jackson.databind.ObjectMapper().readValue(meta.get("crane.user_ids"), List.class);
            assertEquals(m.numUsers(), ids.size());
            for (int b = 0; b < 2; b++) {
                String user = (String) ids.get((int) batch[b]);
                List<org.crane.Recommendation> want = m.recommend(user, 5);
                for (int q = 0; q < 5; q++) {
                    assertEquals(want.get(q).itemId(), Long.toString(items[b][q]), "user " + user + " rank " + (q + 1));
                }
            }
        }
        // the embeddings: dot products over items.tsv, the user's training items masked, give recommend's top 5
        List<String> users = Files.readAllLines(emb.resolve("users.tsv"));
        List<String> itemRows = Files.readAllLines(emb.resolve("items.tsv"));
        assertEquals(m.numUsers() + 1, users.size());
        assertEquals(m.numItems() + 1, itemRows.size());
        String[] u = users.get(4).split("\t");
        double[] scores = new double[m.numItems()];
        for (int i = 0; i < scores.length; i++) {
            String[] it = itemRows.get(i + 1).split("\t");
            assertEquals(Integer.toString(i), it[0]);
            for (int c = 1; c < u.length; c++) {
                scores[i] += Float.parseFloat(u[c]) * Float.parseFloat(it[c]);
            }
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i : m.excludedItems(m.userIndex(u[0]))) {
            seen.add(i);
        }
        List<Integer> order = java.util.stream.IntStream.range(0, scores.length).boxed().filter(i -> !seen.contains(i))
                .sorted((a, b) -> Double.compare(scores[b], scores[a])).limit(5).toList();
        List<org.crane.Recommendation> want = m.recommend(u[0], 5);
        for (int q = 0; q < 5; q++) {
            assertEquals(want.get(q).itemId(), Integer.toString(order.get(q)), "embeddings rank " + (q + 1));
        }
    }

    @Test
    void theRunReportListsMetricsInOrderAndOnlyConfiguredFields() throws Exception {
        String md = Files.readString(RunReport.reportPath(model));
        int r5 = md.indexOf("| Recall@5 |");
        int r10 = md.indexOf("| Recall@10 |");
        int r20 = md.indexOf("| Recall@20 |");
        int r50 = md.indexOf("| Recall@50 |");
        int n5 = md.indexOf("| NDCG@5 |");
        assertTrue(r5 >= 0 && r5 < r10 && r10 < r20 && r20 < r50 && r50 < n5, "Recall@5, @10, @20, @50, then NDCG: " + md);
        assertTrue(md.contains("| learningRate |"), md);
        for (String internal : List.of("host-short-name", "is-sequence", "train-invocation-count", "class-name")) {
            assertTrue(!md.contains(internal), internal + " is provenance bookkeeping, not configuration: " + md);
        }
        assertTrue(Files.size(RunReport.chartBase(model).resolveSibling(RunReport.chartBase(model).getFileName() + ".png")) > 1000);
        assertTrue(!Files.exists(RunReport.chartBase(model).resolveSibling(RunReport.chartBase(model).getFileName() + ".svg")),
                "no SVG beside the PNG");
    }

    @Test
    void logsAreOneLinePerRecordQuietByDefaultAndPerEpochWithVerbose() throws Exception {
        Path quietLog = dir.resolve("quiet.log");
        Path verboseLog = dir.resolve("verbose.log");
        String[] common = {"train", "--data", data.toString(), "--set", "maxEpochs=2", "--set", "embeddingSize=16"};
        Process quiet = ChildJvm.start(CraneCli.class, quietLog, concat(common, "--out", dir.resolve("q.model").toString()));
        Process verbose = ChildJvm.start(CraneCli.class, verboseLog, concat(common, "--verbose", "--out", dir.resolve("v.model").toString()));
        assertEquals(0, quiet.waitFor(), Files.readString(quietLog));
        assertEquals(0, verbose.waitFor(), Files.readString(verboseLog));
        String q = Files.readString(quietLog);
        assertTrue(!q.contains(" INFO "), "no INFO records by default: " + q);
        List<String> v = Files.readAllLines(verboseLog);
        assertTrue(v.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d INFO org\\.crane\\.train\\.TrainingRun: epoch 1: loss .*")),
                "one line per record, with time, level and logger: " + String.join("\n", v));
        assertTrue(v.stream().noneMatch(l -> l.startsWith("INFO: ")), "no second line of the two-line default format");
    }

    @Test
    void evaluateCountsRowsOnItemsTheModelDoesNotKnowAsMisses() throws Exception {
        // a LightGCN model's catalogue is its training items; data naming others is evaluated, not refused
        Path more = dir.resolve("more-items");
        assertEquals(0, run("demo", "--write-data", more.toString()).code());
        Path interFile = more.resolve(org.crane.data.DemoDataset.INTER_FILE);
        List<String> l = new java.util.ArrayList<>(Files.readAllLines(interFile));
        l.add("3\t700\t1\t2");
        Files.write(interFile, l);
        CliRunner.Run ev = run("evaluate", "--model", model.toString(), "--data", more.toString());
        assertEquals(0, ev.code(), ev.err() + ev.out());
        assertTrue(ev.out().contains("701 items in the data, 500 known to the model; rows on the others count as misses"), ev.out());
        assertTrue(ev.out().contains("cold items") && ev.out().contains("warm items"), ev.out());
    }

    @Test
    void aConfigurationsDataPropertyIsTheFolderGivenWithData() throws Exception {
        // the file names its features under ${data}, whose value points nowhere useful; --data must win
        Path xml = dir.resolve("with-data.xml");
        Files.writeString(xml, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                    <property name="data" value="no-such-folder"/>
                    <component name="features" type="org.crane.data.ItemFeatureSource">
                        <propertylist name="modalities">
                            <item>image=${data}/image.npy</item>
                            <item>text=${data}/text.npy</item>
                        </propertylist>
                    </component>
                    <component name="trainer" type="org.crane.train.CraneTrainer">
                        <property name="itemFeatures" value="features"/>
                        <property name="embeddingSize" value="16"/>
                        <property name="maxEpochs" value="1"/>
                    </component>
                </config>
                """);
        CliRunner.Run r = run("train", "--data", data.toString(), "--config", xml.toString(), "--out", dir.resolve("xml.model").toString());
        assertEquals(0, r.code(), r.err());
        String prov = Files.readString(ModelFiles.provenancePath(dir.resolve("xml.model")));
        assertTrue(prov.contains(data.toAbsolutePath().resolve("image.npy").toString()), "the features were read from --data");
    }

    @Test
    void benchTrainPrintsTheTableAndWritesTheJsonKeys() throws Exception {
        Path json = dir.resolve("bench.json");
        CliRunner.Run r = run("bench", "train", "--data", data.toString(), "--warmup", "0", "--epochs", "1", "--eval-runs", "1",
                "--set", "embeddingSize=16", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch_s_median") && r.out().contains("gflops_per_second"), r.out());
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        for (String key : List.of("epoch_seconds_median", "eval_seconds_median", "peak_rss_mb", "gflops_per_second")) {
            assertTrue(n.has(key), key + " in " + n);
        }
        assertTrue(n.get("epoch_seconds_median").asDouble() > 0 && n.get("gflops_per_second").asDouble() > 0, n.toString());
        assertTrue(n.get("knn_seconds").asDouble() > 0, "the demo data has modalities, so the kNN graph is timed");
    }

    @Test
    void benchEngineTimesDenseAndSparseProjections() throws Exception {
        Path json = dir.resolve("engine.json");
        CliRunner.Run r = run("bench", "engine", "--data", data.toString(), "--runs", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode row : rows) {
            names.add(row.get("name").asText());
            assertTrue(row.get("median_ms").asDouble() > 0, row.toString());
        }
        for (String name : List.of("spmm_forward", "projection_forward", "projection_forward_sparse", "projection_backward_sparse", "lightgcn_bpr_step")) {
            assertTrue(names.contains(name), name + " in " + names);
        }
    }

    @Test
    void badInputsExitOneWithAClearMessage() {
        CliRunner.Run unknown = run("recommend", "--model", model.toString(), "--user", "123456");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("Unknown user '123456'"), unknown.err());
        CliRunner.Run typo = run("train", "--data", data.toString(), "--set", "learningRat=0.1", "--out", dir.resolve("x").toString());
        assertEquals(1, typo.code());
        assertTrue(typo.err().contains("learningRat"), typo.err());
        Path xml = dir.resolve("typo.xml");
        try {
            Files.writeString(xml, "<?xml version=\"1.0\"?>\n<config>\n <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n"
                    + "  <property name=\"embedingSize\" value=\"8\"/>\n </component>\n</config>\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRunner.Run typoXml = run("train", "--data", data.toString(), "--config", xml.toString(), "--out", dir.resolve("y").toString());
        assertEquals(1, typoXml.code());
        assertTrue(typoXml.err().contains("typo.xml") && typoXml.err().contains("embedingSize"), typoXml.err());
        CliRunner.Run notModel = run("evaluate", "--model", data.resolve("image.npy").toString(), "--data", data.toString());
        assertEquals(1, notModel.code());
        assertTrue(notModel.err().contains("image.npy"), notModel.err());
        assertEquals(2, run("recommend", "--model", model.toString()).code());
        assertEquals(2, run("evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "nope").code());
    }
}
