package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.crane.model.SemanticGraph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's knnIndex setting: what it trains with, and what the model records. */
class KnnIndexTrainingTest {
    private static CraneTrainerBuilder small() {
        return new CraneTrainer.Builder().itemFeatures(DemoFixture.get().data.features()).maxEpochs(2).embeddingSize(16)
                .batchSize(1024).logEvery(100);
    }

    private static String knnGraph(CraneModel m) {
        return m.getProvenance().getInstanceProvenance().getMap().get("knn-graph").toString();
    }

    @Test
    void autoOnASmallCatalogueIsExactAndHnswIsRecordedWithItsSettings() {
        DemoFixture f = DemoFixture.get();
        SemanticGraph.clearCache();
        CraneModel auto = small().build().train(f.train, f.valid);
        assertTrue(knnGraph(auto).contains("exact"), knnGraph(auto));
        CraneModel approx = small().knnIndex("hnsw").knnEfSearch(50).build().train(f.train, f.valid);
        assertTrue(knnGraph(approx).contains("HNSW") && knnGraph(approx).contains("efSearch=50"), knnGraph(approx));
        assertEquals("hnsw", approx.getProvenance().getTrainerProvenance().getConfiguredParameters().get("knnIndex").toString());
        // the demo's clustered features: the approximate graph is the exact one, so is the model
        assertEquals(auto.getUserEmbeddings()[0], approx.getUserEmbeddings()[0], 1e-5f);
        CraneModel int8 = small().knnIndex("int8").build().train(f.train, f.valid);
        assertTrue(knnGraph(int8).contains("8-bit products") && knnGraph(int8).contains("15 candidates"), knnGraph(int8));
        assertEquals(auto.getUserEmbeddings()[0], int8.getUserEmbeddings()[0], 1e-5f);
    }

    @Test
    void anUnknownIndexIsRefusedNamingTheField() {
        // the builder reports OLCUT's PropertyException as an IllegalArgumentException naming the field
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().knnIndex("faiss").build());
        assertTrue(e.getMessage().contains("Property: knnIndex") && e.getCause() instanceof PropertyException, e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small().knnEfSearch(0).build()).getMessage().contains("knnEfSearch"));
    }
}
