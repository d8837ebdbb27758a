package org.crane.cli;

import org.crane.cli.CliRunner.Run;
import org.crane.data.DemoDataset;
import org.crane.data.NpyFiles;
import org.crane.train.TrainingCheckpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input the tool reads, broken one way at a time, through the command line: the exit code is
 * 1 (2 for a malformed command line), the message names the file and the line, row or field, and
 * there is no stack trace. The table of inputs and messages is written to
 * {@code target/bad-inputs.md}.
 */
class BadInputTest {
    @TempDir
    static Path root;
    private static Path demo;
    private static Path model;
    private static byte[] image;
    private static List<String> inter;
    private static final List<String> TABLE = new ArrayList<>();

    /** One bad input: how to make it, the command that reads it, and what the message must say. */
    private record Case(String input, String what, Prep prep, int exit, String... expected) {
    }

    @FunctionalInterface
    private interface Prep {
        String[] apply(Path dir) throws IOException;
    }

    @BeforeAll
    static void demoDataAndModel() throws IOException {
        demo = root.resolve("demo");
        DemoDataset.write(demo, DemoDataset.SEED);
        image = Files.readAllBytes(demo.resolve("image.npy"));
        inter = Files.readAllLines(demo.resolve(DemoDataset.INTER_FILE));
        model = root.resolve("m.model");
        Run r = run("train", "--data", demo.toString(), "--set", "maxEpochs=2", "--set", "embeddingSize=16", "--checkpoint-every", "1",
                "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path out = Path.of("target", "bad-inputs.md");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>(List.of("| input | broken how | exit | message |", "|---|---|---|---|"));
        lines.addAll(TABLE);
        Files.write(out, lines);
    }

    private static Path copyDemo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of(DemoDataset.INTER_FILE, "image.npy", "text.npy")) {
            Files.copy(demo.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static String[] stats(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("stats", "--data", dir.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static Prep inter(String... rows) {
        return dir -> {
            copyDemo(dir);
            Files.writeString(dir.resolve(DemoDataset.INTER_FILE), String.join("\n", rows) + (rows.length > 0 ? "\n" : ""));
            return stats(dir);
        };
    }

    private static String[] interPlus(String... extra) {
        List<String> l = new ArrayList<>(inter.subList(0, 10));
        l.addAll(List.of(extra));
        return l.toArray(new String[0]);
    }

    private static Prep image(byte[] bytes, String name) {
        return dir -> {
            copyDemo(dir);
            Files.delete(dir.resolve("image.npy"));
            Files.write(dir.resolve(name), bytes);
            return stats(dir, "--modality", "image=" + name, "--modality", "text=text.npy");
        };
    }

    private static byte[] header(String dict) {
        int hdrEnd = indexOf(image, (byte) '\n') + 1;
        byte[] payload = Arrays.copyOfRange(image, hdrEnd, image.length);
        return NpyFiles.npy(1, dict, payload);
    }

    private static int indexOf(byte[] a, byte b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] == b) {
                return k;
            }
        }
        return -1;
    }

    private static byte[] withValue(int row, int col, float v) {
        byte[] b = image.clone();
        int off = indexOf(image, (byte) '\n') + 1 + 4 * (row * 64 + col);
        ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        return b;
    }

    private static byte[] f8WithValue(int row, int col, double v) {
        ByteBuffer bb = ByteBuffer.allocate(500 * 64 * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.putDouble(8 * (row * 64 + col), v);
        return bb.array();
    }

    private static byte[] corruptCrc(byte[] gz) {
        byte[] b = gz.clone();
        b[b.length - 8] ^= 0x5a;   // the trailer: CRC-32 (4 bytes), then the length (4 bytes)
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(b);
        }
        return bo.toByteArray();
    }

    private static Prep csv(String content) {
        return dir -> {
            copyDemo(dir);
            Files.writeString(dir.resolve("image.csv"), content);
            return stats(dir, "--modality", "image=image.csv", "--modality", "text=text.npy");
        };
    }

    private static String csvRows(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i);
            for (int c = 0; c < 4; c++) {
                sb.append(',').append(0.5f * c);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static Prep xml(String content) {
        return dir -> {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("c.xml"), content);
            return new String[]{"train", "--data", demo.toString(), "--config", dir.resolve("c.xml").toString(), "--out", dir.resolve("x.model").toString()};
        };
    }

    private static String trainerXml(String property) {
        return "<?xml version=\"1.0\"?>\n<config>\n<component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n"
                + property + "\n</component>\n</config>\n";
    }

    private static Prep modelFile(byte[] bytes) {
        return dir -> {
            Files.createDirectories(dir);
            Files.write(dir.resolve("bad.model"), bytes);
            return new String[]{"recommend", "--model", dir.resolve("bad.model").toString(), "--user", "0"};
        };
    }

    /** A checkpoint of the model's run, changed and saved again (so its checksum is valid), resumed on the demo data. */
    private static Prep checkpoint(java.util.function.UnaryOperator<Ckpt> change) {
        return dir -> {
            Files.createDirectories(dir);
            TrainingCheckpoint c = TrainingCheckpoint.load(model.resolveSibling(model.getFileName() + ".ckpt"));
            Ckpt k = change.apply(new Ckpt(c.epoch(), c.bestEpoch(), c.history(), new java.util.LinkedHashMap<>(c.parameters()),
                    c.bestUsers(), c.bestItems(), c.itemGraph(), c.arguments()));
            new TrainingCheckpoint(c.fingerprint(), k.epoch(), c.adamSteps(), k.params(), k.bestEpoch(), c.bestRecall(), c.bestScale(),
                    c.scaleBest(), c.scaleSince(), k.bestUsers(), k.bestItems(), k.history(), k.arguments(), k.graph()).save(dir.resolve("c.ckpt"));
            return new String[]{"train", "--resume", dir.resolve("c.ckpt").toString(), "--data", demo.toString(), "--out", dir.resolve("x.model").toString()};
        };
    }

    /** The fields of a checkpoint a case may change. */
    private record Ckpt(int epoch, int bestEpoch, List<org.crane.train.CraneModel.EpochRecord> history,
                        java.util.Map<String, TrainingCheckpoint.ParameterState> params, float[] bestUsers, float[] bestItems,
                        org.crane.graph.CooMatrix graph, List<String> arguments) {
        Ckpt withHistory(List<org.crane.train.CraneModel.EpochRecord> h) {
            return new Ckpt(epoch, bestEpoch, h, params, bestUsers, bestItems, graph, arguments);
        }

        Ckpt withBest(float[] u, float[] i) {
            return new Ckpt(epoch, bestEpoch, history, params, u, i, graph, arguments);
        }

        Ckpt withArguments(List<String> a) {
            return new Ckpt(epoch, bestEpoch, history, params, bestUsers, bestItems, graph, a);
        }

        Ckpt withParameterValue(float v) {
            java.util.Map<String, TrainingCheckpoint.ParameterState> p = new java.util.LinkedHashMap<>(params);
            java.util.Map.Entry<String, TrainingCheckpoint.ParameterState> first = p.entrySet().iterator().next();
            float[] values = first.getValue().value().clone();
            values[values.length / 2] = v;
            p.put(first.getKey(), new TrainingCheckpoint.ParameterState(values, first.getValue().firstMoment(), first.getValue().secondMoment()));
            return new Ckpt(epoch, bestEpoch, history, p, bestUsers, bestItems, graph, arguments);
        }
    }

    private static String xmlWith(String inside) {
        return "<?xml version=\"1.0\"?>\n<config>\n" + inside + "\n</config>\n";
    }

    private static Prep args(String... a) {
        return dir -> a;
    }

    private static List<Case> cases() throws IOException {
        byte[] modelBytes = Files.readAllBytes(model);
        List<Case> c = new ArrayList<>();
        String f = DemoDataset.INTER_FILE;
        c.add(new Case(".inter", "empty file", inter(), 1, f + ":1: empty file"));
        c.add(new Case(".inter", "header only", inter(inter.get(0)), 1, f + ": has a header but no interactions"));
        c.add(new Case(".inter", "no itemID column", inter("userID\tx_label", "0\t0"), 1, f + ":1: header has no column 'itemID'"));
        c.add(new Case(".inter", "non-integer id", inter(interPlus("3\tabc\t1\t0")), 1, f + ":11: itemID 'abc' is not a non-negative integer id"));
        c.add(new Case(".inter", "negative id", inter(interPlus("-3\t5\t1\t0")), 1, f + ":11: userID '-3' is negative"));
        c.add(new Case(".inter", "huge id", inter(interPlus("3\t99999999999\t1\t0")), 1, f + ":11: itemID 99999999999 exceeds the largest supported id"));
        c.add(new Case(".inter", "bad x_label", inter(interPlus("3\t5\t1\t7")), 1, f + ":11: x_label '7' is not 0 (train), 1 (valid) or 2 (test)"));
        c.add(new Case(".inter", "NaN rating", inter(interPlus("3\t5\tNaN\t0")), 1, f + ":11: rating 'NaN' is not finite"));
        c.add(new Case(".inter", "row with too few fields", inter(interPlus("3\t5")), 1, f + ":11: has 2 fields, the header has 4"));
        c.add(new Case(".inter", "duplicated (user, item)", inter(interPlus(inter.get(5))), 1, f + ":11: duplicate interaction of user", "first on line 6"));
        c.add(new Case(".inter", "no training rows", inter(inter.get(0), "0\t1\t1\t2"), 1, f + ": has no training interactions"));
        c.add(new Case(".inter", "item id beyond the feature rows", dir -> {
            String[] all = inter.toArray(new String[0]);
            all = Arrays.copyOf(all, all.length + 1);
            all[all.length - 1] = "3\t900\t1\t0";
            return inter(all).apply(dir);
        }, 1, f + ":" + (inter.size() + 1) + ": item id 900 is out of range: the catalogue has 500 items"));
        c.add(new Case(".inter", "a column named twice", inter("userID\titemID\titemID\tx_label", "0\t1\t1\t0"), 1,
                f + ":1: header names column 'itemID' twice (columns 2 and 3)"));
        c.add(new Case(".inter", "a 300,000-character line (not buffered whole)", inter(interPlus("3\t" + "7".repeat(300_000) + "\t1\t0")), 1,
                f + ":11: line is longer than 65536 characters"));
        c.add(new Case(".inter", "a 60,000-character field (quoted in 100)", inter(interPlus("3\t" + "x".repeat(60_000) + "\t1\t0")), 1,
                f + ":11: itemID 'xxxxxxxxxx", "...' is not a non-negative integer id"));
        c.add(new Case(".inter", "an item id near the limit (memory estimated first)", dir -> {
            copyDemo(dir);
            Files.delete(dir.resolve("image.npy"));
            Files.delete(dir.resolve("text.npy"));
            List<String> rows = new ArrayList<>(inter);
            rows.add("3\t49999999\t1\t0");
            Files.write(dir.resolve(DemoDataset.INTER_FILE), rows);
            return new String[]{"train", "--data", dir.toString(), "--no-modalities", "--out", dir.resolve("x.model").toString()};
        }, 1, "Training 1000 users and 50000000 items with embeddingSize=64: a parameter of shape [50000000, 64] holds 3200000000 values, "
                + "more than one Java array can"));
        c.add(new Case(".inter", "missing file", args("stats", "--data", root.resolve("nowhere").toString()), 1, "nowhere"));

        c.add(new Case(".npy", "truncated", image(Arrays.copyOf(image, image.length / 2), "image.npy"), 1, "image.npy: holds", "needs 128128"));
        c.add(new Case(".npy", "empty file", image(new byte[0], "image.npy"), 1, "image.npy: "));
        c.add(new Case(".npy", "bad magic", image(("XXXX" + new String(image, 4, 60, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1), "image.npy"),
                1, "image.npy: is not a NumPy .npy file"));
        c.add(new Case(".npy", "huge shape (rejected before allocating)", image(header(NpyFiles.dict("<f4", 500, 99_999_999_999L)), "image.npy"),
                1, "image.npy: shape (500, 99999999999) is too large"));
        c.add(new Case(".npy", "negative shape", image(header("{'descr': '<f4', 'fortran_order': False, 'shape': (500, -64), }"), "image.npy"),
                1, "image.npy: has shape (500, -64)"));
        c.add(new Case(".npy", "3-D shape", image(header("{'descr': '<f4', 'fortran_order': False, 'shape': (500, 8, 8), }"), "image.npy"),
                1, "image.npy: has shape (500, 8, 8); expected a 2-D matrix"));
        c.add(new Case(".npy", "wrong dtype (int32)", image(header(NpyFiles.dict("<i4", 500, 64)), "image.npy"), 1, "image.npy: dtype '<i4' is not supported"));
        c.add(new Case(".npy", "Fortran order", image(header("{'descr': '<f4', 'fortran_order': True, 'shape': (500, 64), }"), "image.npy"),
                1, "image.npy: is in Fortran (column-major) order"));
        c.add(new Case(".npy", "NaN value", image(withValue(7, 3, Float.NaN), "image.npy"), 1, "image.npy:8: row 7 (item 7), column 3 holds NaN"));
        c.add(new Case(".npy", "infinite value", image(withValue(9, 1, Float.POSITIVE_INFINITY), "image.npy"), 1, "image.npy:10: row 9 (item 9), column 1 holds Infinity"));
        c.add(new Case(".npy", "fewer rows than the other modality", image(NpyFiles.npy(1, NpyFiles.dict("<f4", 400, 64), new byte[400 * 64 * 4]), "image.npy"),
                1, "text.npy: modality 'text' has 500 rows but 'image' (image.npy) has 400", "every modality needs one row per item"));
        c.add(new Case(".npy.gz", "truncated gzip", image(Arrays.copyOf(gzip(image), 3000), "image.npy.gz"), 1, "image.npy.gz: is a truncated or corrupt gzip stream"));
        c.add(new Case(".npy", "float64 value beyond float32", image(NpyFiles.npy(1, NpyFiles.dict("<f8", 500, 64), f8WithValue(4, 2, 1e300)), "image.npy"),
                1, "image.npy:5: row 4 (item 4), column 2 holds 1.0E300, beyond the float32 range"));
        c.add(new Case(".npy", "a 60 KB version-2 header of repeated keys (parsed in linear time)", image(NpyFiles.npy(2,
                "'shape': (".repeat(6_000), new byte[0]), "image.npy"), 1, "image.npy: NPY header has no valid 'descr' entry", "..."));
        c.add(new Case(".npy", "a header longer than 64 KiB", image(NpyFiles.npy(2, " ".repeat(70_000), new byte[0]), "image.npy"), 1,
                "image.npy: NPY header length", "exceeds 65536 bytes"));
        c.add(new Case(".npy.gz", "wrong CRC in the gzip trailer", image(corruptCrc(gzip(image)), "image.npy.gz"), 1,
                "image.npy.gz: is not a valid gzip stream: Corrupt GZIP trailer"));
        c.add(new Case(".npy.gz", "a small gzip whose header claims 200 GB", image(gzip(NpyFiles.npy(1, NpyFiles.dict("<f4", 500, 100_000_000L),
                new byte[0])), "image.npy.gz"), 1, "image.npy.gz: is a corrupt gzip stream: its header's shape needs", "compressed bytes can hold"));
        c.add(new Case(".npy.gz", "data after the matrix", image(gzip(concat(image, new byte[]{1, 2, 3, 4})), "image.npy.gz"), 1, "image.npy.gz: "));
        c.add(new Case(".npy", "missing file", dir -> {
            copyDemo(dir);
            return stats(dir, "--modality", "image=nothere.npy");
        }, 1, "nothere.npy", "not found"));

        c.add(new Case("feature CSV", "ragged row", csv(csvRows(499) + "499,1,2\n"), 1, "image.csv:500: "));
        c.add(new Case("feature CSV", "NaN value", csv(csvRows(10) + "10,NaN,0,0,0\n"), 1, "image.csv:11: ", "NaN"));
        c.add(new Case("feature CSV", "not a number", csv(csvRows(10) + "10,foo,0,0,0\n"), 1, "image.csv:11: ", "foo"));
        c.add(new Case("feature CSV", "item with no features", csv(csvRows(499)), 1, "image.csv: ", "499"));
        c.add(new Case("feature CSV", "duplicated item id", csv(csvRows(10) + "3,1,1,1,1\n"), 1, "image.csv:11: ", "3"));

        c.add(new Case("XML config", "not XML", xml("<config><component"), 1, "c.xml"));
        c.add(new Case("XML config", "misspelt property", xml(trainerXml("<property name=\"embedingSize\" value=\"8\"/>")), 1, "c.xml", "embedingSize"));
        c.add(new Case("XML config", "invalid value", xml(trainerXml("<property name=\"embeddingSize\" value=\"-8\"/>")), 1, "c.xml", "embeddingSize"));
        c.add(new Case("XML config", "non-numeric value", xml(trainerXml("<property name=\"learningRate\" value=\"fast\"/>")), 1, "c.xml", "learningRate"));
        c.add(new Case("XML config", "external entity (reads a local file)", xml("<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE config [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n<config><property name=\"data\" value=\"&secret;\"/></config>"),
                1, "c.xml: DOCTYPE declarations are not allowed"));
        c.add(new Case("XML config", "parameter entity (fetches a DTD)", xml("<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE config [<!ENTITY % remote SYSTEM \"http://127.0.0.1:9/x.dtd\"> %remote;]>\n<config/>"),
                1, "c.xml: DOCTYPE declarations are not allowed"));
        c.add(new Case("XML config", "includes another file (OLCUT <file>)", xml(xmlWith("<file name=\"x\" value=\"/etc/passwd\"/>")), 1,
                "c.xml: element <file> is not allowed in configuration files"));
        c.add(new Case("XML config", "deserialises an object (OLCUT <serialized>)", xml(xmlWith("<serialized name=\"t\" type=\"org.crane.train.CraneTrainer\" "
                + "location=\"/tmp/evil.ser\"/>")), 1, "c.xml: element <serialized> is not allowed"));
        c.add(new Case("XML config", "exports a component over RMI", xml(xmlWith("<component name=\"trainer\" type=\"org.crane.train.CraneTrainer\" "
                + "export=\"true\"/>")), 1, "c.xml: attribute 'export' of <component> is not allowed"));
        c.add(new Case("XML config", "'trainer' of another project type", xml(xmlWith("<component name=\"trainer\" type=\"org.crane.data.ItemFeatureSource\"/>")), 1,
                "c.xml: component 'trainer' has type 'org.crane.data.ItemFeatureSource'; it must be org.crane.train.CraneTrainer"));
        c.add(new Case("XML config", "a project class that is not a component", xml(xmlWith("<component name=\"x\" type=\"org.crane.cli.CraneCli\"/>")), 1,
                "c.xml: component 'x' has type 'org.crane.cli.CraneCli', which is not one of this project's configurable components"));
        c.add(new Case("XML config", "an unknown encoding", xml("<?xml version=\"1.0\" encoding=\"UDF-8\"?>\n<config/>"), 1,
                "c.xml: not well-formed XML"));
        c.add(new Case("XML config", "a class outside the project", xml("<config><component name=\"trainer\" "
                + "type=\"org.tribuo.data.csv.CSVDataSource\"><property name=\"dataPath\" value=\"/etc/passwd\"/></component></config>"),
                1, "component 'trainer' has type 'org.tribuo.data.csv.CSVDataSource'", "only name this project's components"));
        c.add(new Case("XML config", "a component naming itself", dir -> {
            Files.createDirectories(dir);
            return new String[]{"train", "--data", demo.toString(), "--set", "itemFeatures=trainer", "--out", dir.resolve("x.model").toString()};
        }, 1, "refer to each other in a cycle"));
        for (String[] set : new String[][]{{"temperature=0", "trainer field 'temperature'"}, {"threads=-1", "trainer field 'threads'"},
                {"recursions=100000", "trainer field 'recursions': recursions must be in [0, 64]"},
                {"embeddingSize=100000", "trainer field 'embeddingSize': embeddingSize must be in [1, 8192]"},
                {"itemGraphLayers=-1", "trainer field 'itemGraphLayers'"}, {"regWeight=-1", "trainer field 'regWeight'"}}) {
            c.add(new Case("trainer field", set[0], dir -> {
                Files.createDirectories(dir);
                return new String[]{"train", "--data", demo.toString(), "--set", set[0], "--out", dir.resolve("x.model").toString()};
            }, 1, set[1]));
        }
        c.add(new Case("output", "train --out onto the interactions it reads", args("train", "--data", demo.toString(), "--out",
                demo.resolve(DemoDataset.INTER_FILE).toString()), 1, "is an input of this command"));
        c.add(new Case("output", "train --out onto a modality file", args("train", "--data", demo.toString(), "--out",
                demo.resolve("image.npy").toString()), 1, "is an input of this command"));
        c.add(new Case("output", "train --out a folder", dir -> {
            Files.createDirectories(dir.resolve("a-folder"));
            return new String[]{"train", "--data", demo.toString(), "--out", dir.resolve("a-folder").toString()};
        }, 1, "is a folder"));
        c.add(new Case("output", "train --out a device", args("train", "--data", demo.toString(), "--out", "/dev/null"), 1,
                "/dev/null exists and is not a regular file"));
        c.add(new Case("output", "recommend --out onto its own model", args("recommend", "--model", model.toString(), "--all-users",
                "--out", model.toString()), 1, "is an input of this command"));
        c.add(new Case("output", "export --onnx onto its own model", args("export", "--model", model.toString(), "--onnx",
                model.toString()), 1, "is an input of this command"));
        c.add(new Case("output", "demo --write-data into a folder with files", dir -> {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("keep.txt"), "mine");
            return new String[]{"demo", "--write-data", dir.toString()};
        }, 1, "is not empty", "--force"));
        c.add(new Case("XML config", "missing file", args("train", "--data", demo.toString(), "--config", root.resolve("no.xml").toString(), "--out", "y"),
                1, "no.xml: configuration file not found"));

        c.add(new Case("model file", "empty", modelFile(new byte[0]), 1, "bad.model: is empty, not a CRANE model file"));
        c.add(new Case("model file", "random bytes", modelFile("this is not a model at all".getBytes(StandardCharsets.UTF_8)), 1,
                "bad.model: not a readable CRANE model file"));
        c.add(new Case("model file", "truncated", modelFile(Arrays.copyOf(modelBytes, modelBytes.length / 2)), 1, "bad.model: not a readable CRANE model file"));
        c.add(new Case("model file", "names another model class", modelFile(org.tribuo.protos.core.ModelProto.parseFrom(modelBytes).toBuilder()
                .setClassName("org.tribuo.classification.baseline.DummyClassifierModel").build().toByteArray()), 1,
                "bad.model: names the model class 'org.tribuo.classification.baseline.DummyClassifierModel', not a CRANE model"));
        c.add(new Case("model file", "missing", args("recommend", "--model", root.resolve("gone.model").toString(), "--user", "0"), 1,
                "gone.model: model file not found"));
        c.add(new Case("command line", "unknown user", args("recommend", "--model", model.toString(), "--user", "123456"), 1, "123456"));
        c.add(new Case("command line", "k = 0", args("recommend", "--model", model.toString(), "--user", "0", "-k", "0"), 2, "k"));
        c.add(new Case("command line", "empty split", dir -> {
            copyDemo(dir);
            Files.write(dir.resolve(DemoDataset.INTER_FILE), inter.stream().filter(s -> !s.endsWith("\t1")).toList());
            return new String[]{"evaluate", "--model", model.toString(), "--data", dir.toString(), "--split", "valid"};
        }, 1, f + ": the valid split is empty"));
        c.add(new Case("command line", "unknown split", args("evaluate", "--model", model.toString(), "--data", demo.toString(), "--split", "dev"), 2,
                "--split must be valid or test, got 'dev'"));
        c.add(new Case("command line", "the training split", args("evaluate", "--model", model.toString(), "--data", demo.toString(), "--split", "train"), 2,
                "--split must be valid or test, got 'train'"));
        c.add(new Case("command line", "modality not name=file", args("stats", "--data", demo.toString(), "--modality", "image"), 1, "image"));
        c.add(new Case("command line", "--set without =", args("train", "--data", demo.toString(), "--set", "maxEpochs", "--out", "x"), 1,
                "--set 'maxEpochs' is not of the form name=value"));
        c.add(new Case("command line", "--set unknown field", args("train", "--data", demo.toString(), "--set", "epochs=3", "--out", "x"), 1,
                "--set epochs=3: CraneTrainer has no field 'epochs'", "maxEpochs"));
        c.add(new Case("command line", "--set bad value", args("train", "--data", demo.toString(), "--set", "edgeDropRate=1.5", "--out", "x"), 1,
                "edgeDropRate must be in [0, 1), got 1.5"));
        c.add(new Case("command line", "unknown option", args("train", "--dat", demo.toString()), 2, "--dat"));
        c.add(new Case("checkpoint", "epoch log out of order (valid checksum)", checkpoint(k -> k.withHistory(List.of(k.history().get(1), k.history().get(0))))
                , 1, "c.ckpt: corrupt checkpoint: epoch log entry 1 is out of order (after 2, at most 2)"));
        c.add(new Case("checkpoint", "a NaN parameter (valid checksum)", checkpoint(k -> k.withParameterValue(Float.NaN)), 1,
                "c.ckpt: corrupt checkpoint: parameter '", "is NaN"));
        c.add(new Case("checkpoint", "best representations of another size (valid checksum)", checkpoint(k -> k.withBest(new float[16], new float[16])), 1,
                "The checkpoint's best representations hold 16 and 16 values; this run has 1000 users and 500 items of width 16"));
        c.add(new Case("checkpoint", "an unreadable recorded command line (valid checksum)", checkpoint(k -> k.withArguments(List.of("--no-such-option"))), 1,
                "c.ckpt: corrupt checkpoint: its recorded command line cannot be read"));
        c.add(new Case("checkpoint", "records a configuration file (never read without --config)", dir -> {
            String[] a = checkpoint(k -> {
                List<String> recorded = new ArrayList<>(k.arguments());
                recorded.addAll(List.of("--config", "/etc/passwd"));
                return k.withArguments(recorded);
            }).apply(dir);
            return a;
        }, 2, "--resume reads and writes only the files this command line names", "--config /etc/passwd"));
        c.add(new Case("checkpoint", "not a checkpoint", dir -> {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("x.ckpt"), "hello");
            return new String[]{"train", "--resume", dir.resolve("x.ckpt").toString()};
        }, 1, "x.ckpt: "));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputGivesAPreciseMessage() throws IOException {
        List<Case> all = cases();
        return all.stream().map(k -> DynamicTest.dynamicTest(k.input() + ": " + k.what(), () -> {
            Path dir = root.resolve("case-" + all.indexOf(k));
            Run r = run(k.prep().apply(dir));
            String err = r.err().strip();
            TABLE.add("| " + k.input() + " | " + k.what() + " | " + r.code() + " | `" + err.lines().findFirst().orElse("")
                    .replace(root.toString(), "…").replace("|", "\\|") + "` |");
            assertEquals(k.exit(), r.code(), "exit code; stderr: " + err + "\nstdout: " + r.out());
            for (String e : k.expected()) {
                assertTrue(err.contains(e), "expected '" + e + "' in: " + err);
            }
            assertFalse(err.contains("\tat "), "no stack trace without --debug: " + err);
            assertFalse(err.contains("Exception"), "the message names the problem, not an exception class: " + err);
            String first = err.lines().findFirst().orElse("");
            assertTrue(first.length() < 1000, "a message quotes input only in short excerpts: " + first.length() + " characters");
        }));
    }
}
