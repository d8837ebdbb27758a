package org.crane.cli;

import org.crane.InteractionDataSource;
import org.crane.RankingEvaluation;
import org.crane.RankingEvaluator;
import org.crane.data.DataDirectory;
import org.crane.data.Excerpt;
import org.crane.data.Split;
import org.crane.eval.ColdItems;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code crane evaluate}: full-ranking metrics of a saved model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Print Recall, NDCG, Precision, MAP and HitRate at 5, 10, 20, 50.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @Option(names = "--data", required = true, description = "MMRec folder.")
    Path data;
    @Option(names = "--split", description = "valid or test (default ${DEFAULT-VALUE}); the training split cannot be evaluated, "
            + "its rows are masked from every ranking.")
    String split = "test";
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // training rows are masked from every ranking, so only the held-out splits can be evaluated
        Split s = switch (split.toLowerCase(java.util.Locale.ROOT)) {
            case "valid" -> Split.VALID;
            case "test" -> Split.TEST;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--split must be valid or test, got '"
                    + Excerpt.of(split, 20) + "'");
        };
        CraneModel m = ModelFiles.load(model);
        DataDirectory.LoadedData loaded = DataDirectory.resolve(data, List.of()).withoutModalities().load();
        org.tribuo.MutableDataset<org.crane.ItemId> ds = InteractionDataSource.dataset(loaded.interactions(), s);
        if (ds.size() == 0) {
            throw new IllegalArgumentException(loaded.layout().interFile() + ": the " + s.label() + " split is empty (no row with x_label "
                    + s.code() + "); nothing to evaluate");
        }
        if (loaded.interactions().numItems() > m.numItems()) {
            // e.g. a model without modalities, whose catalogue is its training items: the rest cannot be ranked
            spec.commandLine().getOut().println("note: " + loaded.interactions().numItems() + " items in the data, " + m.numItems()
                    + " known to the model; rows on the others count as misses");
        }
        long t0 = System.nanoTime();
        RankingEvaluation ev;
        if (ProgressReporter.terminal()) {
            try (me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("users")
                    .setInitialMax(m.numUsers()).setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).build()) {
                ev = new RankingEvaluator().evaluate(m, ds, done -> bar.stepTo(done));
            }
        } else {
            ev = new RankingEvaluator().evaluate(m, ds);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().print(MetricsTable.render(s.label(), ev.getMetrics()));
        spec.commandLine().getOut().println(ev.getUsers() + " users evaluated in " + String.format(java.util.Locale.ROOT, "%.2f", secs) + " s (full ranking over "
                + m.numItems() + " items)" + (ev.getSkippedUsers() > 0 ? ", " + ev.getSkippedUsers() + " unknown users skipped" : ""));
        // rows on items that no training interaction names ("cold") and the others ("warm")
        ColdItems coldItems = new ColdItems(InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN));
        TextTable t = new TextTable(s.label() + " rows", "rows", "users", "Recall@20", "NDCG@20", "HitRate@20");
        for (boolean cold : new boolean[]{true, false}) {
            org.tribuo.MutableDataset<org.crane.ItemId> part = coldItems.rows(ds, cold);
            if (part.size() == 0) {
                t.row(cold ? "cold items" : "warm items", 0, 0, "-", "-", "-");
                continue;
            }
            RankingEvaluation pe = new RankingEvaluator().evaluate(m, part);
            t.row(cold ? "cold items" : "warm items", part.size(), pe.getUsers(), MetricsTable.format(pe.getMetrics().get("Recall@20")),
                    MetricsTable.format(pe.getMetrics().get("NDCG@20")), MetricsTable.format(pe.getMetrics().get("HitRate@20")));
        }
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(t.render());
        return 0;
    }
}
