package org.crane.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.crane.cli.OutputGuard;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crane spark-recommend}: every user's (or a file's users') top-K as Parquet or CSV part files, on Spark. */
@Command(name = "spark-recommend", mixinStandardHelpOptions = true,
        description = "Top-K unseen items for every user, or the users of a file, as a Spark job (blocked scoring as "
                + "Spark ML's ALS does it); writes a folder of Parquet or CSV part files (user, rank, item, score).")
final class SparkRecommendCommand implements Callable<Integer> {
    /** Where unknown user ids are written inside the output folder (Spark's readers skip names that start with '_'). */
    static final String UNKNOWN = "_unknown_users";

    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @Option(names = "--users", paramLabel = "FILE", description = "A text file with one user id per line; default: every user of the model.")
    Path users;
    @Option(names = "-k", description = "Items per user (default ${DEFAULT-VALUE}).")
    int k = 10;
    @Option(names = "--master", description = "Spark master URL (default ${DEFAULT-VALUE}).")
    String master = "local[2]";
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to create (it must not exist).")
    Path out;
    @Option(names = "--format", description = "parquet or csv (default ${DEFAULT-VALUE}); CSV files have the header user,rank,item,score.")
    String format = "parquet";
    @Option(names = "--scoring", description = "onnx (the single-JVM path's scores exactly) or jvm (no native code) (default ${DEFAULT-VALUE}).")
    String scoring = "onnx";
    @Option(names = "--user-block", description = "Users per block (default ${DEFAULT-VALUE}).")
    int userBlock = 4096;
    @Option(names = "--item-block", description = "Items per block (default ${DEFAULT-VALUE}).")
    int itemBlock = 4096;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("parquet", "csv").contains(fmt)) {
            throw new ParameterException(spec.commandLine(), "--format must be parquet or csv, got '" + org.crane.data.Excerpt.of(format, 40) + "'");
        }
        Scoring how = switch (scoring.toLowerCase(Locale.ROOT)) {
            case "onnx" -> Scoring.ONNX;
            case "jvm" -> Scoring.JVM;
            default -> throw new ParameterException(spec.commandLine(), "--scoring must be onnx or jvm");
        };
        SparkRecommender job;
        try {
            job = new SparkRecommender(k, userBlock, itemBlock, how);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "-k, --user-block and --item-block: " + e.getMessage());
        }
        if (users != null && !Files.isRegularFile(users)) {
            throw new IllegalArgumentException("--users " + users + ": not a readable file");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--out " + out + " exists; name a new folder (nothing is overwritten)");
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new IllegalArgumentException("--out " + out + ": the folder " + parent + " does not exist or is not writable");
        }
        CraneModel m = ModelFiles.load(model);
        // the output is written beside the target and renamed into place when complete; Spark's scratch space sits beside it too
        String tag = "." + target.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime();
        Path partial = parent.resolve(tag + ".partial");
        Path scratch = Files.createDirectory(parent.resolve(tag + ".spark"));
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("crane spark-recommend");
        if (master.startsWith("local")) {
            // a local job listens on the loopback interface only
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = builder
                .config("spark.ui.enabled", "false")
                .config("spark.local.dir", scratch.toString())
                .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toUri().toString())
                .getOrCreate();
        try {
            // one id per line, surrounding blanks trimmed, blank lines skipped
            Dataset<Row> ids = users == null ? null
                    : spark.read().text(users.toAbsolutePath().toString()).selectExpr("trim(value) AS user").filter("user <> ''");
            SparkRecommender.Result r = job.recommend(spark, m, ids);
            Dataset<Row> unknown = r.unknownUsers().cache();
            long missing = unknown.count();
            var writer = r.recommendations().sortWithinPartitions("user", "rank").write().mode(SaveMode.ErrorIfExists).format(fmt);
            if (fmt.equals("csv")) {
                writer = writer.option("header", "true");
            }
            writer.save(partial.toString());
            if (missing > 0) {
                unknown.coalesce(1).write().text(partial.resolve(UNKNOWN).toString());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            double secs = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "Wrote the top %d of %s to %s (%s) in %.1f s on %s%n", k,
                    users == null ? "all " + m.numUsers() + " users" : "the users of " + users, out, fmt, secs, master);
            if (missing > 0) {
                List<String> some = unknown.limit(5).collectAsList().stream().map(x -> org.crane.data.Excerpt.of(x.getString(0), 40)).toList();
                o.printf("%d user id(s) of %s are not in the model and have no rows (listed in %s): %s%s%n", missing, users,
                        out.resolve(UNKNOWN), String.join(", ", some), missing > some.size() ? ", ..." : "");
            }
            return 0;
        } finally {
            spark.stop();
            OutputGuard.deleteTree(scratch);
            OutputGuard.deleteTree(partial);
        }
    }
}
