package org.crane.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crane.cli.CraneCli;
import org.crane.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code crane spark-recommend} in Spark local mode equals {@code crane recommend --all-users}: the same
 * items in the same order with the same scores, on the demo data and on lfm2k.
 */
class SparkRecommendCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CraneCli.execute(args, new PrintWriter(out), new PrintWriter(err), new SparkRecommendCommand());
        return new Run(code, out.toString(), err.toString());
    }

    private Path train(Path data, String... sets) {
        Path model = dir.resolve("m.model");
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", model.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return model;
    }

    private Path demo() {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        return data;
    }

    /** @return "user rank" -> "item score", from the CLI's TSV. */
    static TreeMap<String, String> tsv(Path f) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
            String[] c = line.split("\t");
            out.put(c[0] + " " + c[1], c[2] + " " + Float.parseFloat(c[3]));
        }
        return out;
    }

    /** @return the same map from Spark's CSV part files. */
    static TreeMap<String, String> csv(Path folder) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                List<String> lines = Files.readAllLines(f);
                assertEquals("user,rank,item,score", lines.get(0));
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.split(",");
                    assertTrue(out.put(c[0] + " " + c[1], c[2] + " " + Float.parseFloat(c[3])) == null, "duplicate row " + line);
                }
            }
        }
        return out;
    }

    private TreeMap<String, String> cliAllUsers(Path model, int k) throws Exception {
        Path tsv = dir.resolve("all.tsv");
        Run r = run("recommend", "--model", model.toString(), "--all-users", "-k", Integer.toString(k), "--out", tsv.toString());
        assertEquals(0, r.code(), r.err());
        return tsv(tsv);
    }

    @Test
    void demoCsvEqualsRecommendAllUsers() throws Exception {
        Path model = train(demo(), "maxEpochs=3");
        Path out = dir.resolve("spark-out");
        Run r = run("spark-recommend", "--model", model.toString(), "-k", "20", "--master", "local[2]", "--out", out.toString(),
                "--format", "csv", "--user-block", "300", "--item-block", "128");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Wrote the top 20 of all 1000 users"), r.out());
        TreeMap<String, String> want = cliAllUsers(model, 20);
        assertEquals(20_000, want.size());
        assertEquals(want, csv(out));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "scratch or partial folders left");
        }
    }

    @Test
    void usersFileUnknownIdsAreReportedAndKnownOnesEqualTheCli() throws Exception {
        Path model = train(demo(), "maxEpochs=1", "embeddingSize=8");
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "5\nghost\n12\n5\n\n999999\n");
        Path out = dir.resolve("o");
        Run r = run("spark-recommend", "--model", model.toString(), "--users", users.toString(), "-k", "4", "--out", out.toString(),
                "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 user id(s) of " + users + " are not in the model"), r.out());
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> s = Files.list(out.resolve(SparkRecommendCommand.UNKNOWN))) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                unknown.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(List.of("999999", "ghost"), unknown.stream().sorted().toList());
        TreeMap<String, String> got = csv(out);
        TreeMap<String, String> want = new TreeMap<>(cliAllUsers(model, 4));
        want.keySet().removeIf(key -> !key.startsWith("5 ") && !key.startsWith("12 "));
        assertEquals(8, want.size());
        assertEquals(want, got);
    }

    @Test
    void refusesAnExistingOutputAndBadOptionsWithoutTouchingThem() throws Exception {
        Path model = train(demo(), "maxEpochs=1", "embeddingSize=8");
        Path out = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Run r = run("spark-recommend", "--model", model.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--out " + out + " exists") && r.err().lines().count() == 1, r.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertEquals(2, run("spark-recommend", "--model", model.toString(), "--out", dir.resolve("x").toString(), "--format", "orc").code());
        assertEquals(2, run("spark-recommend", "--model", model.toString(), "--out", dir.resolve("x").toString(), "-k", "0").code());
        Run missing = run("spark-recommend", "--model", model.toString(), "--users", dir.resolve("none.txt").toString(),
                "--out", dir.resolve("x").toString());
        assertEquals(1, missing.code());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void lfm2kParquetEqualsRecommendAllUsers() throws Exception {
        Path data = SharedData.folder("lfm2k");
        Path model = train(data, "maxEpochs=2");
        Path out = dir.resolve("lfm");
        Run r = run("spark-recommend", "--model", model.toString(), "-k", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        TreeMap<String, String> got = new TreeMap<>();
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.local.dir", dir.resolve("scratch").toString()).getOrCreate();
        try {
            for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
                got.put(row.getString(0) + " " + row.getInt(1), row.getString(2) + " " + row.getFloat(3));
            }
        } finally {
            spark.stop();
        }
        TreeMap<String, String> want = cliAllUsers(model, 20);
        assertEquals(want.size(), got.size());
        assertEquals(want, got);
    }
}
