package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.crane.ItemId;
import org.crane.ItemIdFactory;
import org.crane.Recommendation;
import org.crane.train.CraneTrainer;
import org.crane.train.DemoFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.impl.ArrayExample;

import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CraneModelTest {
    static CraneModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        DemoFixture f = DemoFixture.get();
        model = new CraneTrainer.Builder().itemFeatures(f.data.features()).maxEpochs(4).embeddingSize(32).logEvery(100).build()
                .train(f.train, f.valid);
    }

    @Test
    void recommendSkipsTrainingItemsAndMatchesPredict() {
        List<Recommendation> recs = model.recommend("3", 10);
        assertEquals(10, recs.size());
        int u = model.userIndex("3");
        for (Recommendation r : recs) {
            assertTrue(java.util.Arrays.binarySearch(model.excludedItems(u), Integer.parseInt(r.itemId())) < 0, "recommended a training item");
        }
        for (int k = 1; k < recs.size(); k++) {
            assertTrue(recs.get(k - 1).score() >= recs.get(k).score());
        }
        ArrayExample<ItemId> ex = new ArrayExample<>(ItemIdFactory.INSTANCE.getUnknownOutput());
        ex.add("user=3", 1.0);
        Prediction<ItemId> p = model.predict(ex);
        assertEquals(recs.get(0).itemId(), p.getOutput().getId());
        assertEquals(20, p.getOutputScores().size());
        List<Recommendation> withSeen = model.recommend(List.of("3"), 10, true).get(0);
        assertTrue(withSeen.get(0).score() >= recs.get(0).score());
    }

    @Test
    void unknownUserIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.recommend("999999", 5));
        assertTrue(e.getMessage().contains("999999"), e.getMessage());
    }

    @Test
    void popularityFallbackServesUnknownUsers() {
        DemoFixture f = DemoFixture.get();
        CraneModel m = new CraneTrainer.Builder().itemFeatures(f.data.features()).maxEpochs(1).embeddingSize(8).popularityFallback(true)
                .logEvery(100).build().train(f.train, f.valid);
        List<Recommendation> recs = m.recommend("424242", 5);
        assertEquals(5, recs.size());
        float[] pop = new float[m.numItems()];
        for (int u = 0; u < m.numUsers(); u++) {
            for (int i : m.excludedItems(u)) {
                pop[i]++;
            }
        }
        float max = 0;
        for (float p : pop) {
            max = Math.max(max, p);
        }
        assertEquals(max, pop[Integer.parseInt(recs.get(0).itemId())]);
    }

    @Test
    void protobufRoundTripGivesIdenticalScores() throws Exception {
        Path f = dir.resolve("m.model");
        model.serializeToFile(f);
        Model<?> loaded = Model.deserializeFromFile(f);
        assertTrue(loaded instanceof CraneModel);
        CraneModel m = (CraneModel) loaded;
        assertArrayEquals(model.getUserEmbeddings(), m.getUserEmbeddings());
        assertArrayEquals(model.getItemEmbeddings(), m.getItemEmbeddings());
        assertEquals(model.recommend("7", 20), m.recommend("7", 20));
        assertEquals(model.getProvenance(), m.getProvenance());
        assertEquals(model.getHistory(), m.getHistory());
    }

    @Test
    void modelFilesFromBeforeTheModelMovedBesideItsTrainerStillLoad() throws Exception {
        Path f = dir.resolve("legacy.model");
        model.serializeToFile(f);
        org.tribuo.protos.core.ModelProto proto = org.tribuo.protos.core.ModelProto.parseFrom(Files.readAllBytes(f));
        Files.write(f, proto.toBuilder().setClassName(ModelFiles.LEGACY_CLASS_NAME).build().toByteArray());
        CraneModel m = ModelFiles.load(f);
        assertEquals(model.recommend("7", 20), m.recommend("7", 20));
        assertEquals(model.getProvenance(), m.getProvenance());
    }

    @Test
    void corruptModelFilesFailCleanly() throws Exception {
        Path f = dir.resolve("m.model");
        model.serializeToFile(f);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
        assertThrows(Exception.class, () -> Model.deserializeFromFile(f));
    }

    @Test
    void onnxExportRunsStandaloneWithTheSameTopK() throws Exception {
        byte[] onnx = model.exportONNXModel("org.crane", 1).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions(); OrtSession s = env.createSession(onnx, o)) {
            assertTrue(s.getMetadata().getCustomMetadata().containsKey(org.tribuo.ONNXExportable.PROVENANCE_METADATA_FIELD));
            for (String user : List.of("0", "5", "42")) {
                int u = model.userIndex(user);
                try (OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{u}), new long[]{1});
                     OrtSession.Result r = s.run(java.util.Map.of("user", in))) {
                    long[][] items = (long[][]) r.get("items").get().getValue();
                    List<Recommendation> want = model.recommend(user, items[0].length);
                    for (int k = 0; k < items[0].length; k++) {
                        assertEquals(want.get(k).itemId(), Long.toString(items[0][k]), "user " + user + " rank " + (k + 1));
                    }
                }
            }
        }
    }
}
