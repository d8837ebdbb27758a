package org.crane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code crane suite} on the demo data: the table, JSON and chart, and a resumed suite that redoes only what is missing. */
class SuiteCommandTest {
    @TempDir
    Path dir;

    @Test
    void suiteWritesTheTablesAndResumesWithoutRedoingFinishedRuns() throws Exception {
        Path root = dir.resolve("data");
        assertEquals(0, run("demo", "--write-data", root.resolve("demo").toString()).code());
        // a second folder with the same interactions: LightGCN, which ignores features, is trained once for both
        assertEquals(0, run("demo", "--write-data", root.resolve("copy").toString()).code());
        Path out = dir.resolve("suite");
        String[] args = {"suite", "--data-root", root.toString(), "--datasets", "demo,copy", "--seeds", "5,6", "--jobs", "2",
                "--set", "maxEpochs=2", "--set", "embeddingSize=16", "--out", out.toString()};
        CliRunner.Run first = run(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("| demo |"), first.out());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("CRANE / LightGCN") && md.contains("±"), md);
        assertTrue(Files.size(out.resolve("results.png")) > 1000, "a chart was drawn");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2 * (2 * 2 + 1), json.get("runs").size(), "per dataset: CRANE and LightGCN for each seed, popularity once");
        assertEquals(2 * 2 + 2, first.out().split(" trained:", -1).length - 1, "LightGCN trained once per seed: " + first.out());
        assertEquals(json.get("summary").get("demo").get("LightGCN").toString(), json.get("summary").get("copy").get("LightGCN").toString());
        JsonNode crane = json.get("summary").get("demo").get("CRANE").get("Recall@20");
        assertEquals(2, crane.get("n").asInt());
        assertTrue(crane.get("mean").asDouble() > json.get("summary").get("demo").get("popularity").get("Recall@20").get("mean").asDouble(),
                "CRANE beats popularity on the demo data even after two epochs");
        for (String run : new String[]{"CRANE-seed5", "CRANE-seed6", "LightGCN-seed5", "LightGCN-seed6"}) {
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve("demo").resolve(run + ".json")), run);
        }

        // an interrupted suite: one run's result is missing; only that run is trained again, with the same outcome
        Files.delete(out.resolve("runs").resolve("demo").resolve("LightGCN-seed6.json"));
        CliRunner.Run second = run(args);
        assertEquals(0, second.code(), second.err());
        assertEquals(5, second.out().split(" reused:", -1).length - 1, second.out());
        assertEquals(1, second.out().split(" trained:", -1).length - 1, second.out());
        assertEquals(md, Files.readString(out.resolve("results.md")), "the resumed suite gives the same table");
    }

    @Test
    void suiteRejectsAMissingDatasetFolder() {
        CliRunner.Run r = run("suite", "--data-root", dir.toString(), "--datasets", "nothing-here", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("nothing-here"), r.err());
    }
}
