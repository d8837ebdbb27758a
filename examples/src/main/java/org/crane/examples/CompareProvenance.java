package org.crane.examples;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.data.DataDirectory;
import org.crane.data.Split;
import org.crane.provenance.ProvenanceDiff;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Train two models that differ in one hyper-parameter and list exactly what their provenances say differs. */
public final class CompareProvenance {
    private CompareProvenance() {
    }

    /**
     * @param epochs epochs per model.
     * @return the differing provenance paths (wall-clock fields left out).
     * @throws Exception on failure.
     */
    public static Map<String, List<String>> run(int epochs) throws Exception {
        try (DemoFolder demo = DemoFolder.create("crane-example-compare")) {
            Path dir = demo.dir();
            DataDirectory.LoadedData data = DataDirectory.resolve(dir, List.of()).load();
            MutableDataset<ItemId> train = InteractionDataSource.dataset(data.interactions(), Split.TRAIN);
            MutableDataset<ItemId> valid = InteractionDataSource.dataset(data.interactions(), Split.VALID);
            CraneModel a = new CraneTrainer.Builder().itemFeatures(data.features()).maxEpochs(epochs).build().train(train, valid);
            CraneModel b = new CraneTrainer.Builder().itemFeatures(data.features()).maxEpochs(epochs).temperature(0.5f).build().train(train, valid);
            Map<String, List<String>> diff = new ProvenanceDiff(List.of(a.getProvenance(), b.getProvenance())).differences(false);
            diff.forEach((path, values) -> System.out.println(path + ": " + values));
            return diff;
        }
    }

    /**
     * @param args optional: epochs (default 5).
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 5);
    }
}
