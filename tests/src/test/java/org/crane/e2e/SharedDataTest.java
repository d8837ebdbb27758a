package org.crane.e2e;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.DataDirectory;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real datasets load with their documented statistics, and CRANE trains on lfm2k end to end. */
class SharedDataTest {
    static Path shared(String name) {
        return org.crane.testing.SharedData.folder(name);
    }

    @Test
    void babyLoadsWithItsDocumentedShape() throws Exception {
        DataDirectory.LoadedData d = DataDirectory.resolve(shared("baby"), List.of()).load();
        assertEquals(19445, d.interactions().numUsers());
        assertEquals(7050, d.interactions().numItems());
        assertEquals(119674, d.interactions().count(Split.TRAIN));
        assertEquals(20559, d.interactions().count(Split.VALID));
        assertEquals(4096, d.features().getModalities().get(0).cols());
        assertEquals(384, d.features().getModalities().get(1).cols());
    }

    @Test
    void craneTrainsOnLfm2kAndBeatsItsFirstEpoch() throws Exception {
        DataDirectory.LoadedData d = DataDirectory.resolve(shared("lfm2k"),
                List.of("audio=whisper.npy", "text=all-MiniLM-L6-v2.npy")).load();
        MutableDataset<ItemId> train = InteractionDataSource.dataset(d.interactions(), Split.TRAIN);
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(d.interactions(), Split.VALID);
        CraneModel m = new CraneTrainer.Builder().itemFeatures(d.features()).maxEpochs(4).logEvery(100).build().train(train, valid);
        List<CraneModel.EpochRecord> h = m.getHistory();
        assertTrue(h.get(3).validRecall20() > h.get(0).validRecall20(), h.toString());
        double test = new RankingEvaluator(20).evaluate(m, InteractionDataSource.dataset(d.interactions(), Split.TEST)).get("Recall@20");
        assertTrue(test > 0.2, "test Recall@20 after 4 epochs: " + test);
    }
}
