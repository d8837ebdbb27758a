package org.crane.examples;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluation;
import org.crane.RankingEvaluator;
import org.crane.Recommendation;
import org.crane.data.DataDirectory;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;

import java.nio.file.Path;
import java.util.List;

/** Train CRANE in Java on the generated demo data, builder-style, then evaluate and recommend. */
public final class TrainOnDemo {
    private TrainOnDemo() {
    }

    /**
     * @param epochs maximum epochs.
     * @return the test evaluation.
     * @throws Exception on failure.
     */
    public static RankingEvaluation run(int epochs) throws Exception {
        try (DemoFolder demo = DemoFolder.create("crane-example")) {
            Path dir = demo.dir();
            DataDirectory.LoadedData data = DataDirectory.resolve(dir, List.of()).load();
            MutableDataset<ItemId> train = InteractionDataSource.dataset(data.interactions(), Split.TRAIN);
            MutableDataset<ItemId> valid = InteractionDataSource.dataset(data.interactions(), Split.VALID);
            MutableDataset<ItemId> test = InteractionDataSource.dataset(data.interactions(), Split.TEST);

            CraneTrainer trainer = new CraneTrainer.Builder()
                    .itemFeatures(data.features())
                    .embeddingSize(64)
                    .recursions(2)
                    .maxEpochs(epochs)
                    .patience(10)
                    .seed(42)
                    .build();
            CraneModel model = trainer.train(train, valid);

            RankingEvaluation ev = new RankingEvaluator().evaluate(model, test);
            System.out.printf("test Recall@20 %.4f, NDCG@20 %.4f%n", ev.get("Recall@20"), ev.get("NDCG@20"));
            for (Recommendation r : model.recommend("0", 5)) {
                System.out.println("user 0, rank " + r.rank() + ": item " + r.itemId() + " (" + r.score() + ")");
            }
            return ev;
        }
    }

    /**
     * @param args optional: maximum epochs (default 30).
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 30);
    }
}
