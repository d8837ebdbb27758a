package org.crane.cli;

import org.crane.cli.CliRunner.Run;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import org.crane.train.TrainingCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.crane.cli.CliRunner.concat;
import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Processes killed with SIGKILL (a child JVM) lose nothing: saves are atomic, runs resume exactly. */
class CrashRecoveryTest {
    private static final int EPOCHS = 10;

    @TempDir
    Path dir;

    @Test
    void killedTrainingResumesToExactlyTheUninterruptedModel() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        String[] common = {"train", "--data", data.toString(), "--set", "maxEpochs=" + EPOCHS, "--set", "patience=100"};
        Path whole = dir.resolve("whole.model");
        Run uninterrupted = run(concat(common, "--out", whole.toString()));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());

        Path resumed = dir.resolve("resumed.model");
        Path ckpt = dir.resolve("resumed.model.ckpt");
        Process child = ChildJvm.start(CraneCli.class, dir.resolve("child.log"), concat(common, "--checkpoint-every", "1", "--out", resumed.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int seen = 0;
        while (seen < 3) {
            if (!child.isAlive()) {
                fail("The child ended (exit " + child.exitValue() + ") before it could be killed: " + Files.readString(dir.resolve("child.log")));
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("No checkpoint after epoch 3 within 180 s");
            }
            if (Files.exists(ckpt)) {
                seen = TrainingCheckpoint.load(ckpt).epoch();
            }
            Thread.sleep(5);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, child.exitValue());
        assertFalse(Files.exists(resumed), "the killed run must not have finished");
        int killedAfter = TrainingCheckpoint.load(ckpt).epoch();
        assertTrue(killedAfter >= 3 && killedAfter < EPOCHS, "killed after epoch " + killedAfter);

        // a checkpoint never chooses what the command reads or writes: without --data and --out the resume is refused,
        // and the refusal shows the recorded paths for the user to confirm
        Run noPaths = run("train", "--resume", ckpt.toString());
        assertEquals(2, noPaths.code(), noPaths.err());
        assertTrue(noPaths.err().contains("--resume reads and writes only the files this command line names")
                && noPaths.err().contains("--data " + data.toAbsolutePath()) && noPaths.err().contains("--out " + resumed.toAbsolutePath()), noPaths.err());
        Run noOut = run("train", "--resume", ckpt.toString(), "--data", data.toString());
        assertEquals(2, noOut.code(), noOut.err());
        Run resume = run("train", "--resume", ckpt.toString(), "--data", data.toString(), "--out", resumed.toString());
        assertEquals(0, resume.code(), resume.err());
        assertTrue(resume.out().contains("Saved " + resumed.toAbsolutePath()), resume.out());

        CraneModel a = ModelFiles.load(whole);
        CraneModel b = ModelFiles.load(resumed);
        assertEquals(a.getBestEpoch(), b.getBestEpoch());
        assertArrayEquals(a.getUserEmbeddings(), b.getUserEmbeddings());
        assertArrayEquals(a.getItemEmbeddings(), b.getItemEmbeddings());
        assertEquals(EPOCHS, b.getHistory().size());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(a.getHistory().get(e).loss(), b.getHistory().get(e).loss(), 0.0, "loss of epoch " + (e + 1));
            assertEquals(a.getHistory().get(e).validRecall20(), b.getHistory().get(e).validRecall20(), 0.0);
        }
        assertEquals(new com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance("resumed-after-epoch", killedAfter),
                b.getProvenance().getInstanceProvenance().getMap().get("resumed-after-epoch"));
    }

    @Test
    void resumingWithOtherSettingsIsRefusedWithAReason() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "--data", data.toString(), "--set", "maxEpochs=2", "--checkpoint-every", "1", "--out", model.toString()).code());
        Path ckpt = dir.resolve("m.model.ckpt");
        assertEquals(2, TrainingCheckpoint.load(ckpt).epoch());
        Run other = run("train", "--resume", ckpt.toString(), "--data", data.toString(), "--out", model.toString(), "--set", "embeddingSize=32");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("belongs to another configuration"), other.err());
        Files.write(dir.resolve("cut.ckpt"), java.util.Arrays.copyOf(Files.readAllBytes(ckpt), 1000));
        Run cut = run("train", "--resume", dir.resolve("cut.ckpt").toString(), "--data", data.toString(), "--out", model.toString());
        assertEquals(1, cut.code());
        assertTrue(cut.err().contains("cut.ckpt: ") && cut.err().contains("corrupt checkpoint"), cut.err());
        byte[] flipped = Files.readAllBytes(ckpt);
        flipped[flipped.length / 2] ^= 0x10;
        Files.write(dir.resolve("flip.ckpt"), flipped);
        Run flip = run("train", "--resume", dir.resolve("flip.ckpt").toString(), "--data", data.toString(), "--out", model.toString());
        assertEquals(1, flip.code());
        assertTrue(flip.err().contains("flip.ckpt: ") && flip.err().contains("corrupt"), flip.err());
    }

    @Test
    void divergingTrainingStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        Path model = dir.resolve("m.model");
        Path ckpt = dir.resolve("m.model.ckpt");
        assertEquals(0, run("train", "--data", data.toString(), "--no-modalities", "--set", "maxEpochs=2", "--checkpoint-every", "1",
                "--out", model.toString()).code());
        Files.delete(model);
        byte[] good = Files.readAllBytes(ckpt);
        Run r = run("train", "--resume", ckpt.toString(), "--data", data.toString(), "--out", model.toString(), "--set", "learningRate=1e30", "--set", "maxEpochs=6");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("Training diverged: loss is") && r.err().contains("at epoch 3, minibatch"), r.err());
        assertTrue(r.err().contains("the last good checkpoint (epoch 2) is " + ckpt), r.err());
        assertFalse(Files.exists(model), "no model is written from a diverged run");
        assertArrayEquals(good, Files.readAllBytes(ckpt), "the last good checkpoint is untouched");
        TrainingCheckpoint c = TrainingCheckpoint.load(ckpt);
        for (TrainingCheckpoint.ParameterState s : c.parameters().values()) {
            for (float v : s.value()) {
                assertTrue(Float.isFinite(v), "the kept checkpoint holds only finite values");
            }
        }
        Run recovered = run("train", "--resume", ckpt.toString(), "--data", data.toString(), "--out", model.toString(), "--set", "learningRate=5e-4", "--set", "maxEpochs=3");
        assertEquals(0, recovered.code(), recovered.err());
        assertEquals(3, ModelFiles.load(model).getHistory().size());
    }

    @Test
    void aProcessKilledWhileSavingLeavesTheModelFileIntact() throws Exception {
        Path file = dir.resolve("m.model");
        for (int round = 0; round < 3; round++) {
            Process child = ChildJvm.start(SaveLoop.class, dir.resolve("save.log"), file.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(dir.resolve("save.log")).contains("saved")) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    child.destroyForcibly();
                    fail("The saving child did not start: " + Files.readString(dir.resolve("save.log")));
                }
                Thread.sleep(10);
            }
            Thread.sleep(50 + 97L * round);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            CraneModel m = ModelFiles.load(file);
            assertEquals(256, m.getEmbeddingSize());
            assertEquals(10, m.recommend(m.getUsers().externalId(0), 10).size());
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                List<Path> strays = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
                assertTrue(strays.size() <= 2 * (round + 1), "at most the killed save's temporary files remain: " + strays);
            }
        }
    }

    @Test
    void loadingAModelNeverFollowsThePathsInItsProvenance() throws Exception {
        Path data = dir.resolve("gone");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "--data", data.toString(), "--set", "maxEpochs=1", "--out", model.toString()).code());
        assertTrue(Files.readString(ModelFiles.provenancePath(model)).contains(data.toString()), "the data paths are recorded");
        try (java.util.stream.Stream<Path> files = Files.list(data)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(data);
        Run rec = run("recommend", "--model", model.toString(), "--user", "3", "-k", "5");
        assertEquals(0, rec.code(), "loading and serving need only the model file: " + rec.err());
        assertFalse(Files.exists(data), "nothing was created at the recorded paths");
    }
}
