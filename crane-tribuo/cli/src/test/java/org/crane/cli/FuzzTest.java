package org.crane.cli;

import org.crane.data.DemoDataset;
import org.crane.data.InteractionReader;
import org.crane.data.NpyFiles;
import org.crane.data.NpyReader;
import org.crane.train.Checkpointing;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.CraneTrainerBuilder;
import org.crane.train.DemoFixture;
import org.crane.train.ModelFiles;
import org.crane.train.TrainingCheckpoint;
import org.crane.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded random mutator over the parsers of untrusted files (.inter, .npy, .npy.gz, model files,
 * checkpoints): every mutated file is either read or rejected with our own clean exception naming
 * the file; never another exception, an OutOfMemoryError or a hang. Each target runs a fixed number
 * of mutations under a time limit; a failure names the seed and iteration to replay it.
 */
class FuzzTest {
    private static final long SEED = 20261128L;
    private static final int ITERATIONS = 400;

    @TempDir
    Path dir;

    /** Reads a file; throws when it rejects it. */
    @FunctionalInterface
    private interface Parser {
        void parse(Path file) throws Exception;
    }

    @Test
    void interactionReader() throws Exception {
        List<String> lines = Files.readAllLines(DemoFixture.get().dir.resolve(DemoDataset.INTER_FILE)).subList(0, 300);
        byte[] seed = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        fuzz("inter", seed, ".inter", f -> InteractionReader.read(f, 500));
    }

    @Test
    void featureCsvReader() throws Exception {
        StringBuilder sb = new StringBuilder("item,a,b,c\n");
        for (int i = 0; i < 30; i++) {
            sb.append(i).append(',').append(i * 0.5).append(",-1.25,").append(i % 7).append('\n');
        }
        fuzz("csv", sb.toString().getBytes(StandardCharsets.UTF_8), ".csv", f -> org.crane.data.FeatureCsvReader.read(f, "m", 30));
    }

    @Test
    void npyReader() throws Exception {
        float[] v = new float[40 * 6];
        for (int k = 0; k < v.length; k++) {
            v[k] = k * 0.25f - 3;
        }
        byte[] npy = NpyFiles.npy(1, NpyFiles.dict("<f4", 40, 6), NpyFiles.f4(v));
        fuzz("npy", npy, ".npy", f -> NpyReader.read(f, "m"));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(npy);
        }
        fuzz("npy.gz", bo.toByteArray(), ".npy.gz", f -> NpyReader.read(f, "m"));
    }

    @Test
    void modelLoaderAndCheckpoints() throws Exception {
        DemoFixture demo = DemoFixture.get();
        Path ckpt = dir.resolve("seed.ckpt");
        CraneModel model = new CraneTrainer.Builder().embeddingSize(4).maxEpochs(1).build()
                .train(demo.train, null, Map.of(), TrainingListener.NONE, Checkpointing.every(1, ckpt));
        Path file = dir.resolve("seed.model");
        ModelFiles.save(model, file);
        fuzz("model", Files.readAllBytes(file), ".model", ModelFiles::load);
        fuzz("checkpoint", Files.readAllBytes(ckpt), ".ckpt", TrainingCheckpoint::load);
    }

    /**
     * Checkpoints whose checksum is recomputed after the mutation, so that the mutations reach the
     * field checks behind it; those that still load are resumed for one epoch, which must end in a
     * model or a clean refusal.
     */
    @Test
    void checkpointsWithAValidChecksum() throws Exception {
        DemoFixture demo = DemoFixture.get();
        Path ckpt = dir.resolve("valid.ckpt");
        CraneTrainerBuilder builder = new CraneTrainer.Builder().embeddingSize(4).maxEpochs(2).itemFeatures(demo.data.features());
        builder.build().train(demo.train, demo.valid, Map.of(), TrainingListener.NONE, Checkpointing.every(1, ckpt));
        byte[] original = Files.readAllBytes(ckpt);
        int[] resumed = {0};
        fuzz("checkpoint-crc", original, ".ckpt", f -> {
            Files.write(f, withChecksum(Files.readAllBytes(f)));
            TrainingCheckpoint c = TrainingCheckpoint.load(f);
            if (resumed[0] < 25) {
                resumed[0]++;
                try {
                    builder.maxEpochs(c.epoch() + 1).build().train(demo.train, demo.valid, Map.of(), TrainingListener.NONE,
                            new Checkpointing(f, 0, c, List.of()));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // a clean refusal of what the checks behind load cannot see (another fingerprint, other sizes),
                    // or of parameters a mutation made finite but huge: training stops at the first non-finite loss
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                }
            }
        }, 0);
        assertTrue(resumed[0] > 0, "some mutated checkpoints should load and be resumed");
    }

    /** OLCUT configurations: every mutation builds a trainer or is refused with a message naming the file. */
    @Test
    void xmlConfigurations() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <property name=\"d\" value=\"16\"/>\n"
                + "  <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n"
                + "    <property name=\"embeddingSize\" value=\"${d}\"/>\n"
                + "    <property name=\"recursions\" value=\"2\"/>\n"
                + "    <property name=\"learningRate\" value=\"0.005\"/>\n"
                + "    <property name=\"semanticCoupling\" value=\"RESIDUAL\"/>\n"
                + "    <propertylist name=\"semanticScales\"><item>0</item><item>0.5</item></propertylist>\n"
                + "    <property name=\"itemFeatures\" value=\"features\"/>\n"
                + "  </component>\n"
                + "  <component name=\"features\" type=\"org.crane.data.ItemFeatureSource\">\n"
                + "    <propertylist name=\"modalities\"><item>image=image.npy</item></propertylist>\n"
                + "  </component>\n</config>\n";
        org.crane.data.ItemFeatureSource features = DemoFixture.get().data.features();
        fuzz("xml", xml.getBytes(StandardCharsets.UTF_8), ".xml", f -> TrainerFactory.create(f, List.of(), features, true));
    }

    /** The checkpoint with its trailing CRC-32 recomputed over everything before it. */
    private static byte[] withChecksum(byte[] b) {
        if (b.length < 8) {
            return b;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
        return b;
    }

    private void fuzz(String name, byte[] original, String suffix, Parser parser) {
        fuzz(name, original, suffix, parser, ITERATIONS / 10);
    }

    private void fuzz(String name, byte[] original, String suffix, Parser parser, int minRejected) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom rng = new SplittableRandom(SEED ^ name.hashCode());
            Path f = dir.resolve("fuzz-" + name + suffix);
            int rejected = 0;
            for (int it = 0; it < ITERATIONS; it++) {
                byte[] input = mutate(original, rng);
                Files.write(f, input);
                try {
                    parser.parse(f);
                } catch (IllegalArgumentException e) {
                    // DataFormatException is one; the loader's clean errors are too
                    assertTrue(e.getMessage() != null && e.getMessage().contains(f.getFileName().toString()),
                            name + " iteration " + it + ": the message must name the file: " + e.getMessage());
                    rejected++;
                } catch (Throwable t) {
                    fail(name + " iteration " + it + " (seed " + SEED + "): " + t, t);
                }
            }
            assertTrue(rejected >= minRejected, name + ": the mutations should break many files, rejected only " + rejected);
        }, name + " hung");
    }

    private static byte[] mutate(byte[] a, SplittableRandom rng) {
        byte[] b = a.clone();
        int ops = 1 + rng.nextInt(4);
        for (int o = 0; o < ops && b.length > 0; o++) {
            switch (rng.nextInt(6)) {
                case 0 -> { // flip bits
                    int p = rng.nextInt(b.length);
                    b[p] ^= (byte) (1 << rng.nextInt(8));
                }
                case 1 -> { // random byte, biased to the header where the structure lives
                    int p = rng.nextInt(Math.min(b.length, rng.nextBoolean() ? 128 : b.length));
                    b[p] = (byte) rng.nextInt(256);
                }
                case 2 -> b = Arrays.copyOf(b, rng.nextInt(b.length)); // truncate
                case 3 -> { // insert random bytes
                    int p = rng.nextInt(b.length + 1);
                    byte[] ins = new byte[1 + rng.nextInt(16)];
                    rng.nextBytes(ins);
                    byte[] c = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, c, 0, p);
                    System.arraycopy(ins, 0, c, p, ins.length);
                    System.arraycopy(b, p, c, p + ins.length, b.length - p);
                    b = c;
                }
                case 4 -> { // a digit replaced by a long run of digits (shapes, ids, lengths)
                    int p = rng.nextInt(b.length);
                    for (int k = 0; k < b.length; k++) {
                        int q = (p + k) % b.length;
                        if (b[q] >= '0' && b[q] <= '9') {
                            byte[] digits = Long.toString(rng.nextLong(Long.MAX_VALUE)).getBytes(StandardCharsets.US_ASCII);
                            byte[] c = new byte[b.length - 1 + digits.length];
                            System.arraycopy(b, 0, c, 0, q);
                            System.arraycopy(digits, 0, c, q, digits.length);
                            System.arraycopy(b, q + 1, c, q + digits.length, b.length - q - 1);
                            b = c;
                            break;
                        }
                    }
                }
                default -> { // a 4-byte length-like field set to an extreme
                    int p = rng.nextInt(Math.max(1, b.length - 4));
                    int v = rng.nextBoolean() ? Integer.MAX_VALUE : -1 - rng.nextInt(1000);
                    for (int k = 0; k < 4 && p + k < b.length; k++) {
                        b[p + k] = (byte) (v >>> (8 * (3 - k)));
                    }
                }
            }
        }
        return b;
    }
}
