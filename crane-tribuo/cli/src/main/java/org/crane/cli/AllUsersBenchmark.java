package org.crane.cli;

import org.crane.InteractionDataSource;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.ModelFiles;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every user's top-K of one model by the single-JVM path ({@code recommend --all-users}) and by the
 * Spark job ({@code spark-recommend}), each in a JVM of its own started with this one's options, so
 * that each row's peak memory is that path's alone.
 */
final class AllUsersBenchmark {
    /** The Spark module's entry point; present on the class path when the launcher runs with --spark. */
    static final String SPARK_MAIN = "org.crane.spark.SparkMain";

    private AllUsersBenchmark() {
    }

    /**
     * One path's figures.
     * @param path what ran.
     * @param seconds wall time of the child JVM (start-up included).
     * @param peakRssMb its peak resident memory.
     */
    record Row(String path, double seconds, double peakRssMb) {
    }

    /**
     * @param data interactions of the shape.
     * @param work a folder for the model and both outputs (emptied by the caller).
     * @return a LightGCN model of the shape after one epoch of large batches (few steps: the tables have the shape's
     *         sizes, which is all that scoring costs depend on).
     */
    static Path model(Interactions data, Path work) throws IOException {
        CraneTrainer trainer = new CraneTrainer.Builder().maxEpochs(1).batchSize(1 << 18).logEvery(1_000_000).build();
        CraneModel m = trainer.train(InteractionDataSource.dataset(data, Split.TRAIN), null, Map.of(), (e, max, best) -> { });
        Path file = work.resolve("shape.model");
        ModelFiles.save(m, file);
        return file;
    }

    /**
     * @param model a saved model.
     * @param k items per user.
     * @param master the Spark master.
     * @param work where the outputs go.
     * @return the single-JVM row, then the Spark row.
     */
    static List<Row> run(Path model, int k, String master, Path work) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        rows.add(child("single JVM (recommend --all-users)", work, CraneCli.class.getName(), "recommend", "--model", model.toString(),
                "--all-users", "-k", Integer.toString(k), "--out", work.resolve("all.tsv").toString()));
        rows.add(child("Spark " + master + " (spark-recommend)", work, SPARK_MAIN, "spark-recommend", "--model", model.toString(),
                "-k", Integer.toString(k), "--master", master, "--out", work.resolve("spark").toString()));
        return rows;
    }

    /** Runs a main class in a new JVM with this JVM's options and class path, sampling its peak memory. */
    private static Row child(String name, Path work, String main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        Path log = work.resolve(main.substring(main.lastIndexOf('.') + 1) + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path status = Path.of("/proc/" + p.pid() + "/status");
        double peak = Double.NaN;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            double v = ProcessMemory.field(status, "VmHWM:");
            peak = Double.isNaN(v) ? peak : v;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): "
                    + org.crane.data.Excerpt.of(Files.readString(log), 600));
        }
        return new Row(name, secs, peak);
    }
}
