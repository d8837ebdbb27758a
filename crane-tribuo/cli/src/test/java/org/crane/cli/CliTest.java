package org.crane.cli;

import org.crane.cli.CliRunner.Run;
import org.crane.data.DemoDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;

    @Test
    void helpListsCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("stats") && r.out().contains("demo"), r.out());
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, run("stats").code());
        assertEquals(2, run("nonsense").code());
        assertEquals(2, run().code());
    }

    @Test
    void demoWritesDataThatStatsReads() throws IOException {
        Path d = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", d.toString()).code());
        Run r = run("stats", "--data", d.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" " + DemoDataset.USERS + " "), r.out());
        assertTrue(r.out().contains("image") && r.out().contains("text"), r.out());
        Run named = run("stats", "--data", d.toString(), "--modality", "pic=image.npy");
        assertTrue(named.out().contains("pic ") && !named.out().contains("text.npy"), named.out());
        Run graphs = run("stats", "--data", d.toString(), "--neighbours", "5");
        assertEquals(0, graphs.code(), graphs.err());
        for (String row : new String[]{"training interactions (cosine)", "image (cosine)", "text (cosine)", "random, same degree"}) {
            assertTrue(graphs.out().contains(row), row + " missing: " + graphs.out());
        }
        assertFalse(r.out().contains("held-out pairs covered"), "the graph check runs only when asked");
        assertEquals(2, run("stats", "--data", d.toString(), "--neighbours", "-1").code());
    }

    @Test
    void badInputExitsOneWithFileAndLineAndNoStackTrace() throws IOException {
        Files.writeString(dir.resolve("x.inter"), "userID\titemID\tx_label\n0\tzz\t0\n");
        Run r = run("stats", "--data", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("x.inter:2: itemID 'zz'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        Run missing = run("stats", "--data", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());
        assertTrue(run("--debug", "stats", "--data", dir.toString()).err().contains("\tat "));
    }

    @Test
    void statsOnSharedLfm2k() {
        Path data = sharedData("lfm2k");
        Run r = run("stats", "--data", data.toString(), "--modality", "audio=whisper.npy", "--modality", "text=all-MiniLM-L6-v2.npy");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" 1858   1425         56345"), r.out());
        assertTrue(r.out().contains("train         44327"), r.out());
    }

    static Path sharedData(String name) {
        return org.crane.testing.SharedData.folder(name);
    }
}
