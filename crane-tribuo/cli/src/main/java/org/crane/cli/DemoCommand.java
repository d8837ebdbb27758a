package org.crane.cli;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.Recommendation;
import org.crane.data.DataDirectory;
import org.crane.data.DemoDataset;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.eval.PopularityScorer;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crane demo}: generates the embedded demo dataset, trains CRANE on it and compares with popularity. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate the embedded demo dataset (planted clusters, two modalities), train CRANE on it, "
                + "print test metrics next to a popularity baseline and show recommendations for two users.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--write-data", paramLabel = "DIR", description = "Only write the demo dataset to DIR in MMRec layout, then exit.")
    Path writeData;
    @Option(names = "--force", description = "With --write-data: write into a folder that already holds files.")
    boolean force;
    @Option(names = "--seed", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed = DemoDataset.SEED;
    @Option(names = "--epochs", description = "Maximum training epochs (default ${DEFAULT-VALUE}).")
    int epochs = 40;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (writeData != null) {
            OutputGuard.emptyFolder("--write-data", writeData, force);
            DemoDataset.write(writeData, seed);
            o.println("Wrote the demo dataset to " + writeData + " (" + DemoDataset.INTER_FILE + ", image.npy, text.npy)");
            return 0;
        }
        Path dir = Files.createTempDirectory("crane-demo");
        try {
            DemoDataset.write(dir, seed);
            DataDirectory.LoadedData data = DataDirectory.resolve(dir, List.of()).load();
            o.print(DatasetStats.render(data));
            o.println();
            Interactions in = data.interactions();
            MutableDataset<ItemId> train = InteractionDataSource.dataset(in, Split.TRAIN);
            MutableDataset<ItemId> valid = InteractionDataSource.dataset(in, Split.VALID);
            MutableDataset<ItemId> test = InteractionDataSource.dataset(in, Split.TEST);
            CraneTrainer trainer = new CraneTrainer.Builder().itemFeatures(data.features()).maxEpochs(epochs).patience(10).logEvery(5).build();
            o.println("Training " + trainer + " (" + epochs + " epochs at most) ...");
            o.flush();
            long t0 = System.nanoTime();
            CraneModel model = trainer.train(train, valid);
            o.printf(Locale.ROOT, "Trained in %.1f s; best validation epoch %d%n%n", (System.nanoTime() - t0) / 1e9, model.getBestEpoch());
            Map<String, Double> crane = new RankingEvaluator().evaluate(model, test).getMetrics();
            Map<String, Double> pop = new RankingEvaluator().evaluate(
                    new PopularityScorer(in.itemsByUser(Split.TRAIN), in.numItems()), in.itemsByUser(Split.TEST)).means();
            TextTable t = new TextTable("test", "Recall@20", "NDCG@20", "Recall@10", "NDCG@10");
            t.row("CRANE", MetricsTable.format(crane.get("Recall@20")), MetricsTable.format(crane.get("NDCG@20")), MetricsTable.format(crane.get("Recall@10")), MetricsTable.format(crane.get("NDCG@10")));
            t.row("popularity", MetricsTable.format(pop.get("Recall@20")), MetricsTable.format(pop.get("NDCG@20")), MetricsTable.format(pop.get("Recall@10")), MetricsTable.format(pop.get("NDCG@10")));
            o.print(t.render());
            for (String user : List.of("0", "1")) {
                o.println("\nTop 5 for user " + user + ":");
                TextTable r = new TextTable("rank", "item", "score");
                for (Recommendation rec : model.recommend(user, 5)) {
                    r.row(rec.rank(), rec.itemId(), String.format(Locale.ROOT, "%.4f", rec.score()));
                }
                o.print(r.render());
            }
        } finally {
            OutputGuard.deleteTree(dir);
        }
        return 0;
    }
}
