package org.crane.cli;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluation;
import org.crane.RankingEvaluator;
import org.crane.data.DataDirectory;
import org.crane.data.Excerpt;
import org.crane.data.ItemFeatureSource;
import org.crane.data.Split;
import org.crane.train.Checkpointing;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.ModelFiles;
import org.crane.train.TrainingCheckpoint;
import org.tribuo.MutableDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

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
    @Option(names = "--data", description = "MMRec folder: one .inter file and .npy/.npy.gz modalities (required unless --resume).")
    Path data;
    @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz.")
    List<String> modalities = new ArrayList<>();
    @Option(names = "--no-modalities", description = "Train without item modalities (LightGCN).")
    boolean noModalities;
    @Option(names = "--config", paramLabel = "FILE.xml", description = "OLCUT configuration with a CraneTrainer (default: built-in defaults).")
    Path config;
    @Option(names = "--set", paramLabel = "name=value", description = "Override a trainer field (repeatable), e.g. --set learningRate=0.005.")
    List<String> sets = new ArrayList<>();
    @Option(names = "--out", paramLabel = "MODEL", description = "Where to write the model (plus MODEL.provenance.json); required unless --resume.")
    Path out;
    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Save a checkpoint (model, optimizer and early-stopping state) every N epochs (default 0: none).")
    int checkpointEvery;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file (default MODEL.ckpt), replaced atomically each time.")
    Path checkpoint;
    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from its checkpoint, with the same --data "
            + "(and --modality, --config) as the run had and --out for the model; its --set values are taken from the checkpoint "
            + "(later --set options are added to them); further checkpoints replace CHECKPOINT unless --checkpoint says otherwise.")
    Path resume;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        TrainingCheckpoint from = resume == null ? null : TrainingCheckpoint.load(resume);
        if (from != null) {
            adoptArguments(from);
        }
        if (data == null || out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required options --data and --out (or --resume CHECKPOINT)");
        }
        if (checkpointEvery < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        Path ckptFile = checkpoint != null ? checkpoint : resume != null ? resume : out.resolveSibling(out.getFileName() + ".ckpt");
        Checkpointing checkpointing = new Checkpointing(ckptFile, checkpointEvery, from, recordedArguments(ckptFile));
        DataDirectory layout = DataDirectory.resolve(data, modalities);
        // every file this run will write is checked against what it reads before any training
        java.util.List<Path> inputs = new java.util.ArrayList<>(DataDirectory.resolve(data, java.util.List.of()).inputFiles());
        inputs.addAll(layout.inputFiles());
        inputs.add(config);
        inputs.add(resume);
        for (Path written : java.util.List.of(out, ModelFiles.provenancePath(out), ModelFiles.metricsPath(out), RunReport.reportPath(out),
                RunReport.chartBase(out).resolveSibling(RunReport.chartBase(out).getFileName() + ".png"))) {
            OutputGuard.file("--out", written, inputs);
        }
        if (checkpointEvery > 0) {
            java.util.List<Path> notTheCheckpoint = new java.util.ArrayList<>(inputs);
            notTheCheckpoint.remove(resume);   // a resumed run replaces its own checkpoint
            OutputGuard.file("--checkpoint", ckptFile, notTheCheckpoint);
        }
        if (noModalities) {
            layout = layout.withoutModalities();
        }
        DataDirectory.LoadedData loaded = layout.load();
        boolean replace = TrainerFactory.replacesFeatures(config, modalities, noModalities);
        ItemFeatureSource features = loaded.features();
        CraneTrainer trainer = TrainerFactory.create(config, sets, features, replace, data);
        MutableDataset<ItemId> train = InteractionDataSource.dataset(loaded.interactions(), Split.TRAIN);
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(loaded.interactions(), Split.VALID);
        MutableDataset<ItemId> test = InteractionDataSource.dataset(loaded.interactions(), Split.TEST);
        if (valid.size() == 0) {
            o.println("warning: " + layout.interFile() + " has no validation rows (x_label 1): no early stopping, training all maxEpochs epochs "
                    + "and keeping the last one");
        }
        if (test.size() == 0) {
            o.println("warning: " + layout.interFile() + " has no test rows (x_label 2): the test metrics will be empty");
        }
        o.println("Training " + trainer + " on " + train.size() + " interactions");
        o.flush();
        long t0 = System.nanoTime();
        CraneModel model;
        try (ProgressReporter progress = new ProgressReporter(o, 10)) {
            model = trainer.train(train, valid.size() > 0 ? valid : null, java.util.Map.of(), progress, checkpointing);
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
                + RunReport.reportPath(out) + " and the learning curves " + RunReport.chartBase(out) + ".png");
        return 0;
    }

    /**
     * Takes the settings of the run that wrote the checkpoint that name no file (its {@code --set} values,
     * {@code --no-modalities}, {@code --checkpoint-every}). A checkpoint is a record, not an instruction:
     * the files this command reads (data, modalities, configuration) and writes (model) come from this
     * command line; when they are missing, the refusal shows the recorded ones for the user to confirm.
     */
    private void adoptArguments(TrainingCheckpoint from) {
        if (from.arguments().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), resume + " does not record its command line; give --data and --out again");
        }
        TrainCommand original;
        try {
            original = CommandLine.populateCommand(new TrainCommand(), from.arguments().toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(resume + ": corrupt checkpoint: its recorded command line cannot be read ("
                    + Excerpt.of(String.valueOf(e.getMessage())) + ")", e);
        }
        boolean pathsMissing = data == null || out == null || (original.config != null && config == null)
                || (!original.modalities.isEmpty() && modalities.isEmpty());
        if (pathsMissing) {
            StringBuilder cmd = new StringBuilder("crane train --resume " + resume);
            cmd.append(" --data ").append(data != null ? data : Excerpt.of(String.valueOf(original.data)));
            for (String m : modalities.isEmpty() ? original.modalities : modalities) {
                cmd.append(" --modality ").append(Excerpt.of(m));
            }
            if (config != null || original.config != null) {
                cmd.append(" --config ").append(config != null ? config : Excerpt.of(original.config.toString()));
            }
            cmd.append(" --out ").append(out != null ? out : Excerpt.of(String.valueOf(original.out)));
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume reads and writes only the files this command line "
                    + "names: give --data and --out (and the --modality and --config options the run had); the run that wrote "
                    + resume + " was continued by: " + cmd);
        }
        noModalities |= original.noModalities;
        List<String> merged = new ArrayList<>(original.sets);
        merged.addAll(sets);
        sets = merged;
        checkpointEvery = checkpointEvery == 0 ? original.checkpointEvery : checkpointEvery;
    }

    /** This run's settings as a command line with absolute paths, recorded in each checkpoint. */
    private List<String> recordedArguments(Path ckptFile) {
        List<String> a = new ArrayList<>(List.of("--data", data.toAbsolutePath().toString()));
        for (String m : modalities) {
            a.add("--modality");
            a.add(m);
        }
        if (noModalities) {
            a.add("--no-modalities");
        }
        if (config != null) {
            a.add("--config");
            a.add(config.toAbsolutePath().toString());
        }
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of("--out", out.toAbsolutePath().toString(), "--checkpoint-every", Integer.toString(checkpointEvery),
                "--checkpoint", ckptFile.toAbsolutePath().toString()));
        return a;
    }
}
