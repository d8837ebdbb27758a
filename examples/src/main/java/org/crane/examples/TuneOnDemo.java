package org.crane.examples;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.DataDirectory;
import org.crane.data.Split;
import org.crane.tune.CraneTuner;
import org.crane.tune.Halving;
import org.crane.tune.SearchSpace;
import org.tribuo.MutableDataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hyper-parameter search in Java on the generated demo data: random points of a space, successive
 * halving, two runs at once, chosen on the valid split; the test split is read once, after the choice.
 */
public final class TuneOnDemo {
    private TuneOnDemo() {
    }

    /**
     * @param epochs the full-training epoch budget (the halving rungs are 1 and 2 epochs).
     * @return the search's result.
     * @throws Exception on failure.
     */
    public static CraneTuner.Result run(int epochs) throws Exception {
        try (DemoFolder demo = DemoFolder.create("crane-example")) {
            Path dir = demo.dir();
            DataDirectory.LoadedData data = DataDirectory.resolve(dir, List.of()).load();
            MutableDataset<ItemId> train = InteractionDataSource.dataset(data.interactions(), Split.TRAIN);
            MutableDataset<ItemId> valid = InteractionDataSource.dataset(data.interactions(), Split.VALID);

            SearchSpace space = SearchSpace.parse(List.of("learningRate=loguniform(0.001,0.03)", "userItemLayers=int(1,3)"));
            Map<String, String> fixed = Map.of("embeddingSize", "16", "maxEpochs", Integer.toString(epochs));
            CraneTuner tuner = new CraneTuner(data.features(), fixed, List.of(1L, 2L), "Recall@20")
                    .withHalving(new Halving(List.of(1, 2), 2))
                    .withParallel(2)
                    .withProgress(p -> System.out.printf("%d/%d runs, best so far %.4f%n", p.runsDone(), p.runsPlanned(), p.bestMean()));
            CraneTuner.Result result = tuner.search(space.random(6, 7), train, valid);

            System.out.println("chosen " + result.chosen().point() + ", valid Recall@20 " + result.chosen().mean());
            MutableDataset<ItemId> test = InteractionDataSource.dataset(data.interactions(), Split.TEST);
            System.out.println("test Recall@20 of its first seed's model: "
                    + new RankingEvaluator().evaluate(result.models().get(0), test).get("Recall@20"));
            return result;
        }
    }

    /**
     * @param args optional: full-training epochs (default 20).
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 20);
    }
}
