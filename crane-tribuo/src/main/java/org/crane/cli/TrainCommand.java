package org.crane.cli;

import org.crane.CraneModel;
import org.crane.ItemId;
import org.crane.data.DataDirectory;
import org.crane.data.InteractionDataSource;
import org.crane.data.ItemFeatureSource;
import org.crane.data.Split;
import org.crane.eval.RankingEvaluation;
import org.crane.eval.RankingEvaluator;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crane train}: trains CRANE on an MMRec folder and writes the model and its provenance. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train CRANE (early stopping on the valid split), print the epoch log and the valid/test metrics, save the model.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "MMRec folder: one .inter file and .npy/.npy.gz modalities.")
    Path data;
    @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz.")
    List<String> modalities = new ArrayList<>();
    @Option(names = "--no-modalities", description = "Train without item modalities (LightGCN).")
    boolean noModalities;
    @Option(names = "--config", paramLabel = "FILE.xml", description = "OLCUT configuration with a CraneTrainer (default: built-in defaults).")
    Path config;
    @Option(names = "--set", paramLabel = "name=value", description = "Override a trainer field (repeatable), e.g. --set learningRate=0.005.")
    List<String> sets = new ArrayList<>();
    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to write the model (plus MODEL.provenance.json).")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        DataDirectory layout = DataDirectory.resolve(data, modalities);
        if (noModalities) {
            layout = layout.withoutModalities();
        }
        DataDirectory.LoadedData loaded = layout.load();
        boolean replace = config == null || !modalities.isEmpty() || noModalities;
        ItemFeatureSource features = loaded.features();
        CraneTrainer trainer = TrainerFactory.create(config, sets, features, replace);
        MutableDataset<ItemId> train = InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(loaded.interactions(), Split.VALID);
        MutableDataset<ItemId> test = InteractionDataSource.dataset(loaded.interactions(), Split.TEST);
        o.println("Training " + trainer + " on " + train.size() + " interactions");
        o.flush();
        long t0 = System.nanoTime();
        CraneModel model;
        try (ProgressReporter progress = new ProgressReporter(o, 10)) {
            model = trainer.train(train, valid.size() > 0 ? valid : null, java.util.Map.of(), progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        TextTable log = new TextTable("epoch", "loss", "valid Recall@20", "valid NDCG@20", "seconds");
        for (CraneModel.EpochRecord e : model.getHistory()) {
            log.row(e.epoch(), String.format(Locale.ROOT, "%.5f", e.loss()), String.format(Locale.ROOT, "%.4f", e.validRecall20()),
                    String.format(Locale.ROOT, "%.4f", e.validNdcg20()), String.format(Locale.ROOT, "%.2f", e.seconds()));
        }
        o.print(log.render());
        RankingEvaluator ev = new RankingEvaluator();
        RankingEvaluation v = ev.evaluate(model, valid);
        RankingEvaluation t = ev.evaluate(model, test);
        o.printf(Locale.ROOT, "%nBest epoch %d of %d, %.1f s in all%n%n", model.getBestEpoch(),
                model.getHistory().size(), secs);
        o.print(MetricsTable.render("valid", v.getMetrics()));
        o.println();
        o.print(MetricsTable.render("test", t.getMetrics()));
        ModelFiles.save(model, out);
        ModelFiles.saveMetrics(out, java.util.Map.of("valid", v.getMetrics(), "test", t.getMetrics()));
        RunReport.write(out, model, loaded.interactions().numUsers() + " users, " + loaded.interactions().numItems() + " items, "
                + train.size() + " training interactions from " + layout.interFile() + ", modalities " + layout.modalitySpecs(),
                java.util.Map.of("valid", v.getMetrics(), "test", t.getMetrics()), secs);
        o.println("\nSaved " + out + ", " + ModelFiles.provenancePath(out) + ", " + ModelFiles.metricsPath(out) + ", "
                + RunReport.reportPath(out) + " and the learning curves " + RunReport.chartBase(out) + ".png/.svg");
        return 0;
    }
}
