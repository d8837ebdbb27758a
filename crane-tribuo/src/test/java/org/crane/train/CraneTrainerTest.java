package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.RankingEvaluator;
import org.crane.data.FeatureMatrix;
import org.crane.data.ItemFeatureSource;
import org.crane.data.Split;
import org.crane.eval.PopularityScorer;
import org.crane.train.CraneModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CraneTrainerTest {
    @TempDir
    Path dir;

    private static CraneTrainerBuilder small() {
        return new CraneTrainer.Builder().itemFeatures(DemoFixture.get().data.features()).maxEpochs(3).embeddingSize(16).batchSize(1024).logEvery(100);
    }

    @Test
    void earlyStoppingMaximisesTheConfiguredMetricAndTheModelRemembersItsEpoch(@TempDir Path dir) throws Exception {
        DemoFixture f = DemoFixture.get();
        CraneModel m = small().maxEpochs(12).learningRate(0.08f).semanticScales(1).earlyStoppingMetric("NDCG@20").build().train(f.train, f.valid);
        int argmax = 0;
        int byRecall = 0;
        double top = Double.NEGATIVE_INFINITY;
        double topRecall = Double.NEGATIVE_INFINITY;
        for (CraneModel.EpochRecord r : m.getHistory()) {
            if (r.validNdcg20() > top) {
                top = r.validNdcg20();
                argmax = r.epoch();
            }
            if (r.validRecall20() > topRecall) {
                topRecall = r.validRecall20();
                byRecall = r.epoch();
            }
        }
        assertNotEquals(byRecall, argmax, "this setting makes Recall@20 and NDCG@20 prefer different epochs: " + m.getHistory());
        assertEquals(argmax, m.getBestEpoch(), "the epoch of best validation NDCG@20: " + m.getHistory());
        Path file = dir.resolve("ndcg.model");
        ModelFiles.save(m, file);
        assertEquals(argmax, ModelFiles.load(file).getBestEpoch(), "saved with the model");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().earlyStoppingMetric("AUC").build());
        assertTrue(e.getMessage().contains("earlyStoppingMetric must be Recall@K"), e.getMessage());
    }

    @Test
    void sameSeedSameModelDifferentSeedDifferentModel() {
        DemoFixture f = DemoFixture.get();
        CraneModel a = small().seed(7).build().train(f.train, f.valid);
        CraneModel b = small().seed(7).build().train(f.train, f.valid);
        CraneModel c = small().seed(8).build().train(f.train, f.valid);
        assertArrayEquals(a.getUserEmbeddings(), b.getUserEmbeddings());
        assertArrayEquals(a.getItemEmbeddings(), b.getItemEmbeddings());
        assertFalse(Arrays.equals(a.getItemEmbeddings(), c.getItemEmbeddings()));
    }

    @Test
    void publicConstructorTrainsWarnsWithoutValidationAndPredictsNothingForAUserWhoHasSeenEverything(@TempDir Path dir) throws Exception {
        // user 0 has interacted with all five items; there is no validation split
        StringBuilder inter = new StringBuilder("userID\titemID\tx_label\n");
        for (int i = 0; i < 5; i++) {
            inter.append("0\t").append(i).append("\t0\n");
        }
        for (int u = 1; u < 4; u++) {
            inter.append(u).append('\t').append(u).append("\t0\n").append(u).append('\t').append(u + 1).append("\t0\n");
        }
        Files.writeString(dir.resolve("tiny.inter"), inter.toString());
        var loaded = org.crane.data.DataDirectory.resolve(dir, List.of()).load();
        var train = org.crane.InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
        java.util.List<java.util.logging.LogRecord> records = new java.util.ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { records.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(CraneTrainer.class.getName());
        log.addHandler(h);
        CraneModel m;
        try {
            m = new CraneTrainer(null, 2, 7).train(train);
        } finally {
            log.removeHandler(h);
        }
        assertEquals(2, m.getHistory().size(), "all maxEpochs epochs without validation");
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == java.util.logging.Level.WARNING && r.getMessage().contains("No validation data")),
                "training without validation says so");
        org.tribuo.Prediction<org.crane.ItemId> all = m.predict(train.getExample(0));
        assertEquals(org.crane.ItemId.UNKNOWN, all.getOutput().getId(), "nothing is left for user 0");
        assertTrue(all.getOutputScores().isEmpty());
        org.tribuo.Prediction<org.crane.ItemId> other = m.predict(train.getExample(5));
        assertNotEquals(org.crane.ItemId.UNKNOWN, other.getOutput().getId(), "user 1 has unseen items");
    }

    @Test
    void residualCraneTrainsAtLeastAsLongAsLightGcnAndIsNeverWorseOnValidation() {
        // the behaviour view alone (scale 0) is LightGCN's model epoch for epoch, and early stopping waits for every
        // scale's curve, so the best (epoch, scale) is at least LightGCN's best validation Recall@20
        DemoFixture f = DemoFixture.get();
        CraneTrainerBuilder common = new CraneTrainer.Builder().maxEpochs(60).patience(3).embeddingSize(16).batchSize(1024).logEvery(100)
                .seed(5);
        CraneModel lightGcn = common.itemFeatures(null).build().train(f.train, f.valid);
        CraneModel crane = new CraneTrainer.Builder().maxEpochs(60).patience(3).embeddingSize(16).batchSize(1024).logEvery(100).seed(5)
                .itemFeatures(f.data.features()).semanticScales(0, 0.5, 1).build().train(f.train, f.valid);
        assertTrue(lightGcn.getHistory().size() < 60, "LightGCN stopped early: " + lightGcn.getHistory().size());
        assertTrue(crane.getHistory().size() >= lightGcn.getHistory().size(),
                crane.getHistory().size() + " CRANE epochs against LightGCN's " + lightGcn.getHistory().size());
        double lightBest = lightGcn.getHistory().stream().mapToDouble(CraneModel.EpochRecord::validRecall20).max().orElseThrow();
        double craneBest = crane.getHistory().stream().mapToDouble(CraneModel.EpochRecord::validRecall20).max().orElseThrow();
        assertTrue(craneBest >= lightBest, craneBest + " against LightGCN's " + lightBest);
    }

    @Test
    void everyAblationSwitchTrains() {
        DemoFixture f = DemoFixture.get();
        List<FeatureMatrix> mods = f.data.features().getModalities();
        Map<String, CraneTrainerBuilder> variants = new java.util.LinkedHashMap<>();
        variants.put("R=0", small().recursions(0));
        variants.put("untied R=2", small().untieRecursions(true));
        variants.put("no profiles", small().userProfiles(false));
        variants.put("no semantic graph", small().itemGraphLayers(0));
        variants.put("lambda_cl=0", small().contrastiveWeight(0));
        variants.put("item graph on IDs", small().itemGraphIds(true));
        variants.put("LightGCN", small().itemFeatures(ItemFeatureSource.none()).edgeDropRate(0));
        variants.put("one modality", small().itemFeatures(ItemFeatureSource.inMemory(List.of(mods.get(0)))));
        variants.put("three modalities", small().itemFeatures(ItemFeatureSource.inMemory(List.of(mods.get(0), mods.get(1),
                mods.get(1).withName("text2")))));
        for (Map.Entry<String, CraneTrainerBuilder> e : variants.entrySet()) {
            CraneModel m = e.getValue().build().train(f.train, f.valid);
            assertEquals(3, m.getHistory().size(), e.getKey());
            for (CraneModel.EpochRecord r : m.getHistory()) {
                assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, e.getKey() + " loss " + r.loss());
            }
            assertTrue(m.getHistory().get(2).loss() < m.getHistory().get(0).loss(), e.getKey() + " loss should fall: " + m.getHistory());
        }
    }

    /**
     * cosine / temperature reaches 500 here: exp() of it overflows float32, so an InfoNCE computed as
     * log(sum(exp)) stops training with an infinite loss; the max-subtracted form stays finite.
     */
    @Test
    void aTinyTemperatureDoesNotOverflowTheContrastiveLoss() {
        DemoFixture f = DemoFixture.get();
        CraneModel m = small().temperature(0.002f).contrastiveWeight(0.1f).build().train(f.train, f.valid);
        assertEquals(3, m.getHistory().size());
        for (CraneModel.EpochRecord r : m.getHistory()) {
            assertTrue(Double.isFinite(r.loss()), "loss " + r.loss() + " at epoch " + r.epoch());
        }
    }

    @Test
    void semanticGraphRefreshChangesTrainingFromItsEpochOnAndResumesExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        DemoFixture f = DemoFixture.get();
        CraneModel plain = small().maxEpochs(4).build().train(f.train, f.valid);
        CraneModel refreshed = small().maxEpochs(4).semanticGraphRefresh(2).build().train(f.train, f.valid);
        for (int e = 0; e < 2; e++) {
            assertEquals(plain.getHistory().get(e).loss(), refreshed.getHistory().get(e).loss(), 0.0, "epoch " + (e + 1) + " precedes the rebuild");
        }
        assertNotEquals(plain.getHistory().get(2).loss(), refreshed.getHistory().get(2).loss(), "epoch 3 trains on the rebuilt graph");

        java.nio.file.Path ckpt = dir.resolve("run.ckpt");
        small().maxEpochs(3).semanticGraphRefresh(2).build().train(f.train, f.valid, Map.of(), TrainingListener.NONE,
                Checkpointing.every(3, ckpt));
        TrainingCheckpoint c = TrainingCheckpoint.load(ckpt);
        assertEquals(3, c.epoch());
        assertNotNull(c.itemGraph(), "the rebuilt graph travels with the checkpoint");
        CraneModel resumed = small().maxEpochs(4).semanticGraphRefresh(2).build().train(f.train, f.valid, Map.of(), TrainingListener.NONE,
                Checkpointing.NONE.resumingFrom(c));
        assertArrayEquals(refreshed.getUserEmbeddings(), resumed.getUserEmbeddings());
        assertArrayEquals(refreshed.getItemEmbeddings(), resumed.getItemEmbeddings());
    }

    @Test
    void projectionsInTheirOwnSessionsTrainTheSameModel() {
        assertLayoutTrainsTheSameModel("crane.offloadProjection", 1e-5, 1e-4);
    }

    /**
     * With W_Z = 0 at the start (the default) the first step's contrastive gradient runs through
     * the normalisation of all-zero semantic vectors, where b_Z's gradient is rounding noise of
     * 1/eps-scaled terms and Adam turns its sign into a full step: any change of summation order
     * then moves the run by about 1 %. A Xavier-initialised W_Z makes the comparison sharp.
     */
    @Test
    void profilesOfTheBatchUsersOnlyTrainTheSameModel() {
        assertLayoutTrainsTheSameModel("crane.batchProfiles", 1e-5, 1e-4);
    }

    /**
     * The user profiles {@code D_U^-1 R HI} by the sparse kernel (the default where it is there)
     * against the same in the graphs: same model, with exact steps and with the cached semantic view.
     */
    @Test
    void userProfilesInJavaTrainTheSameModel() {
        assertLayoutTrainsTheSameModel("crane.javaProfiles", 1e-5, 1e-4);
        assertLayoutTrainsTheSameModel("crane.javaProfiles", () -> small().historyRefreshSteps(4).semanticUpdateSteps(4), 1e-5, 1e-4);
        DemoFixture f = DemoFixture.get();
        CraneModel m = small().maxEpochs(1).build().train(f.train, f.valid);
        assertEquals(Boolean.TRUE, ((com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance)
                m.getProvenance().getInstanceProvenance().getMap().get("layout-java-profiles")).getValue(), "the run records the layout");
    }

    /**
     * ReLU-like image features (a fifth of the entries non-zero, as CNN activations) are projected over
     * their non-zeros in Java; the dense text features stay with ONNX Runtime's GEMM. Same model as
     * with every projection dense, with exact steps and with local steps on the cached semantic view.
     */
    @Test
    void sparseFeaturesProjectedInJavaTrainTheSameModel() {
        DemoFixture f = DemoFixture.get();
        List<FeatureMatrix> mods = new java.util.ArrayList<>(f.data.features().getModalities());
        FeatureMatrix image = mods.get(0);
        float[] relu = image.values().clone();
        for (int q = 0; q < relu.length; q++) {
            relu[q] = Math.max(0f, relu[q] - 1.2f);
        }
        mods.set(0, new FeatureMatrix(image.name(), image.rows(), image.cols(), relu));
        double density = org.crane.data.ScaledFeatures.of(mods.get(0), org.crane.data.FeatureScaling.NONE).density();
        assertTrue(density > 0.1 && density < 0.3, "density " + density);
        List<String> plans = new java.util.ArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(ProjectionPlan.class.getName());
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                plans.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            ItemFeatureSource features = ItemFeatureSource.inMemory(mods);
            assertLayoutTrainsTheSameModel("crane.sparseProjection", () -> small().itemFeatures(features), 1e-5, 1e-4);
            // local steps with the cached semantic view: its forward graph and the embedding graph read
            // the sparse kernel's projections too (the dense copy of the features is never made)
            assertLayoutTrainsTheSameModel("crane.sparseProjection",
                    () -> small().itemFeatures(features).historyRefreshSteps(4).semanticUpdateSteps(4), 1e-5, 1e-4);
        } finally {
            log.removeHandler(h);
        }
        assertTrue(plans.stream().anyMatch(p -> p.startsWith("Modality image") && p.endsWith("over its non-zeros in Java")), plans.toString());
        assertTrue(plans.stream().anyMatch(p -> p.startsWith("Modality text") && p.endsWith("by dense GEMM")), plans.toString());
    }

    private static void assertLayoutTrainsTheSameModel(String property, double lossTolerance, double embeddingTolerance) {
        assertLayoutTrainsTheSameModel(property, CraneTrainerTest::small, lossTolerance, embeddingTolerance);
    }

    /** Two epochs with a graph layout on (the default) and off: the same losses and embeddings up to rounding. */
    private static void assertLayoutTrainsTheSameModel(String property, java.util.function.Supplier<CraneTrainerBuilder> trainer,
                                                       double lossTolerance, double embeddingTolerance) {
        DemoFixture f = DemoFixture.get();
        CraneModel on = trainer.get().maxEpochs(2).zeroInitSemanticOutput(false).build().train(f.train, f.valid);
        CraneModel off;
        System.setProperty(property, "false");
        try {
            off = trainer.get().maxEpochs(2).zeroInitSemanticOutput(false).build().train(f.train, f.valid);
        } finally {
            System.clearProperty(property);
        }
        for (int e = 0; e < 2; e++) {
            double a = on.getHistory().get(e).loss();
            double b = off.getHistory().get(e).loss();
            assertEquals(b, a, lossTolerance * Math.abs(b), "epoch " + (e + 1) + " loss");
        }
        for (float[][] xy : new float[][][]{{on.getItemEmbeddings(), off.getItemEmbeddings()}, {on.getUserEmbeddings(), off.getUserEmbeddings()}}) {
            double num = 0;
            double den = 0;
            for (int q = 0; q < xy[0].length; q++) {
                num += (xy[0][q] - xy[1][q]) * (xy[0][q] - xy[1][q]);
                den += xy[1][q] * xy[1][q];
            }
            assertTrue(Math.sqrt(num / den) < embeddingTolerance, "relative difference " + Math.sqrt(num / den));
        }
    }

    @Test
    void learnsThePlantedStructureBeyondPopularity() {
        DemoFixture f = DemoFixture.get();
        CraneModel m = new CraneTrainer.Builder().itemFeatures(f.data.features()).maxEpochs(25).patience(10).logEvery(100).build()
                .train(f.train, f.valid);
        double crane = new RankingEvaluator(20).evaluate(m, f.test).get("Recall@20");
        var in = f.data.interactions();
        double pop = new RankingEvaluator(20).evaluate(new PopularityScorer(in.itemsByUser(Split.TRAIN), in.numItems()),
                in.itemsByUser(Split.TEST)).means().get("Recall@20");
        assertTrue(crane > 1.3 * pop, "CRANE " + crane + " vs popularity " + pop);
    }

    @Test
    void provenanceRecordsEveryFieldAndXmlConfigurationWorks() throws Exception {
        DemoFixture f = DemoFixture.get();
        Path xml = Files.writeString(dir.resolve("c.xml"), "<?xml version=\"1.0\"?>\n<config>\n"
                + " <component name=\"features\" type=\"org.crane.data.ItemFeatureSource\">\n"
                + "  <propertylist name=\"modalities\"><item>image=" + f.dir.resolve("image.npy") + "</item><item>text="
                + f.dir.resolve("text.npy") + "</item></propertylist>\n </component>\n"
                + " <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n"
                + "  <property name=\"embeddingSize\" value=\"16\"/>\n  <property name=\"maxEpochs\" value=\"2\"/>\n"
                + "  <property name=\"learningRate\" value=\"0.005\"/>\n  <property name=\"itemFeatures\" value=\"features\"/>\n"
                + " </component>\n</config>\n");
        CraneTrainer t = (CraneTrainer) new ConfigurationManager(xml.toString()).lookup("trainer");
        CraneModel m = t.train(f.train, f.valid);
        Map<String, Object> prov = ProvenanceUtil.convertToMap(m.getProvenance().getTrainerProvenance());
        assertEquals("0.005", prov.get("learningRate"));
        assertEquals("16", prov.get("embeddingSize"));
        @SuppressWarnings("unchecked")
        Map<String, Object> feats = (Map<String, Object>) prov.get("itemFeatures");
        assertTrue(feats.containsKey("data-image-sha256") && feats.containsKey("data-text-sha256"), feats.toString());
        Path bad = Files.writeString(dir.resolve("bad.xml"), "<?xml version=\"1.0\"?>\n<config>\n"
                + " <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n  <property name=\"tokens\" value=\"5\"/>\n"
                + " </component>\n</config>\n");
        Exception e = assertThrows(Exception.class, () -> new ConfigurationManager(bad.toString()).lookup("trainer"));
        assertTrue(String.valueOf(e.getMessage()).contains("tokens"), e.getMessage());
    }

    @Test
    void rejectsBadSettingsAndData() {
        assertThrows(IllegalArgumentException.class, () -> small().tokens(3).build());
        assertThrows(IllegalArgumentException.class, () -> small().edgeDropRate(1f).build());
        assertThrows(IllegalArgumentException.class, () -> small().learningRate(0f).build());
        DemoFixture f = DemoFixture.get();
        var empty = new org.tribuo.MutableDataset<>(f.train.getProvenance(), f.train.getOutputFactory());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().build().train(empty, f.valid));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
