package org.crane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.data.DemoDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.crane.cli.CliRunner.concat;
import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code crane tune} on the demo data: the trial table, the chosen configuration and models, and a choice test data cannot sway. */
class TuneCommandTest {
    @TempDir
    Path dir;

    private static String[] tune(Path data, Path out) {
        return new String[]{"tune", "--data", data.toString(), "--search", "learningRate=0.001,0.02", "--set", "maxEpochs=2",
                "--set", "embeddingSize=8", "--seeds", "3", "--out", out.toString()};
    }

    @Test
    void aTuneKilledHalfwayAndResumedEndsLikeAnUninterruptedOne() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        // successive halving (1 and 2 epochs, then the full 4) with two runs at once: 12 + 6 + 4 runs
        String[] search = {"tune", "--data", data.toString(), "--search", "learningRate=0.001,0.005,0.02", "--search", "userItemLayers=1,2",
                "--set", "maxEpochs=4", "--set", "embeddingSize=8", "--seeds", "3,4", "--halving", "1,2", "--parallel", "2"};
        Path whole = dir.resolve("whole");
        CliRunner.Run w = run(concat(search, "--out", whole.toString()));
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("[22/22 runs] rung 3"), w.out());

        Path cut = dir.resolve("cut");
        Process child = ChildJvm.start(CraneCli.class, dir.resolve("child.log"), concat(search, "--out", cut.toString()));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
        // halfway: the second rung has begun (its first model is written when its first run ends)
        while (!hasFile(cut.resolve("trials"), "-rung-2.model")) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                throw new AssertionError("no second rung before the child ended or 180 s: " + Files.readString(dir.resolve("child.log")));
            }
            Thread.sleep(5);
        }
        child.destroyForcibly();   // SIGKILL
        assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(!Files.exists(cut.resolve("trials.json")), "the killed search had not ended");

        CliRunner.Run refused = run(concat(search, "--out", cut.toString()));
        assertEquals(1, refused.code(), "without --resume the folder is not empty: " + refused.err());
        CliRunner.Run other = run(concat(search, "--out", cut.toString(), "--resume", "--eta", "3"));
        assertEquals(1, other.code());
        assertTrue(other.err().contains("defines another search"), other.err());
        CliRunner.Run resumed = run(concat(search, "--out", cut.toString(), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(new ObjectMapper().readTree(whole.resolve("trials.json").toFile()).toString(),
                new ObjectMapper().readTree(cut.resolve("trials.json").toFile()).toString(), "the same trial table and choice");
        assertEquals(Files.readString(whole.resolve("chosen.xml")), Files.readString(cut.resolve("chosen.xml")));
        String testWhole = w.out().substring(w.out().indexOf("test Recall@20"), w.out().indexOf("Wrote"));
        String testResumed = resumed.out().substring(resumed.out().indexOf("test Recall@20"), resumed.out().indexOf("Wrote"));
        assertEquals(testWhole, testResumed, "the chosen models are the same models");
        assertTrue(resumed.out().startsWith("Tuning") && !resumed.out().contains("[1/22 runs]"), "runs recorded before the kill were not trained again");
    }

    @Test
    void aSpaceFileDefinesTheSearchAndBadOnesAreNamed() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        Path space = dir.resolve("space.xml");
        Files.writeString(space, """
                <config><component name="space" type="org.crane.tune.SpaceConfig">
                  <propertylist name="search"><item>learningRate=loguniform(0.001,0.03)</item></propertylist>
                  <property name="random" value="3"/>
                  <propertylist name="halving"><item>1</item></propertylist>
                </component></config>
                """);
        CliRunner.Run r = run("tune", "--data", data.toString(), "--space", space.toString(), "--set", "maxEpochs=2", "--set", "embeddingSize=8",
                "--seeds", "3", "--budget", "1h", "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Tuning 3 points x 1 seeds") && r.out().contains("rungs at [1] epochs"), r.out());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("out").resolve("trials.json").toFile());
        assertEquals(3, j.get("trials").size());
        assertEquals(1, List.of(j.get("trials").get(0).get("trained").asText(), j.get("trials").get(1).get("trained").asText(),
                j.get("trials").get(2).get("trained").asText()).stream().filter(t -> t.startsWith("rung 1")).count(),
                "ceil(3 / 2) = 2 points go on to full training, one stops at rung 1");
        String prov = Files.readString(dir.resolve("out").resolve("chosen-seed3.model.provenance.json"));
        assertTrue(prov.contains("tune-budget") && prov.contains("PT1H") && prov.contains("successive halving"), "the search in provenance");
        // the chosen run continued a checkpoint from the first rung; training its point from scratch gives the same model
        CliRunner.Run again = run("reproduce", "--data-root", data.toString(), dir.resolve("out").resolve("chosen-seed3.model").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("identical") && again.out().contains("tune-space"), again.out());

        Files.writeString(space, "<config><component name=\"space\" type=\"org.crane.tune.SpaceConfig\">"
                + "<propertylist name=\"search\"><item>learningRat=0.1</item></propertylist></component></config>");
        CliRunner.Run bad = run("tune", "--data", data.toString(), "--space", space.toString(), "--out", dir.resolve("bad").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("learningRat") && bad.err().contains("space.xml") && !bad.err().contains("Exception"), bad.err());
        CliRunner.Run budget = run("tune", "--data", data.toString(), "--search", "learningRate=0.1", "--budget", "2 days",
                "--out", dir.resolve("bad2").toString());
        assertEquals(1, budget.code());
        assertTrue(budget.err().contains("--budget '2 days' is not a time"), budget.err());
        CliRunner.Run nothing = run("tune", "--data", data.toString(), "--out", dir.resolve("bad3").toString());
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().contains("Nothing to search"), nothing.err());
    }

    private static boolean hasFile(Path folder, String suffix) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        }
    }

    @Test
    void theChoiceIsMadeOnValidationAndTheTestSplitCannotSwayIt() throws Exception {
        Path a = dir.resolve("a");
        assertEquals(0, run("demo", "--write-data", a.toString()).code());
        // the same data but other test rows: every test interaction moved to another item
        Path b = dir.resolve("b");
        Files.createDirectories(b);
        for (String f : List.of("image.npy", "text.npy")) {
            Files.copy(a.resolve(f), b.resolve(f));
        }
        List<String> rows = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : Files.readAllLines(a.resolve(DemoDataset.INTER_FILE))) {
            String[] c = line.split("\t");
            if (c.length == 4 && c[3].equals("2")) {
                for (int shift = 1; shift < 500; shift++) {
                    String moved = c[0] + "\t" + ((Integer.parseInt(c[1]) + shift * 37) % 500);
                    if (seen.add(moved)) {
                        rows.add(moved + "\t" + c[2] + "\t2");
                        break;
                    }
                }
            } else {
                rows.add(line);
                if (c.length == 4) {
                    seen.add(c[0] + "\t" + c[1]);
                }
            }
        }
        Files.write(b.resolve(DemoDataset.INTER_FILE), rows);

        CliRunner.Run ra = run(tune(a, dir.resolve("out-a")));
        assertEquals(0, ra.code(), ra.err());
        CliRunner.Run rb = run(tune(b, dir.resolve("out-b")));
        assertEquals(0, rb.code(), rb.err());
        JsonNode ja = new ObjectMapper().readTree(dir.resolve("out-a").resolve("trials.json").toFile());
        JsonNode jb = new ObjectMapper().readTree(dir.resolve("out-b").resolve("trials.json").toFile());
        assertEquals(2, ja.get("trials").size());
        assertEquals(ja.get("trials").toString(), jb.get("trials").toString(), "the same trials and validation scores");
        assertEquals(ja.get("chosen_trial"), jb.get("chosen_trial"));
        String testA = ra.out().substring(ra.out().indexOf("test Recall@20"));
        String testB = rb.out().substring(rb.out().indexOf("test Recall@20"));
        assertNotEquals(testA, testB, "the test metrics do see the other test rows");

        Path out = dir.resolve("out-a");
        String md = Files.readString(out.resolve("trials.md"));
        assertTrue(md.contains("Chosen: trial") && md.contains("computed after the choice"), md);
        assertTrue(Files.readString(out.resolve("chosen-seed3.model.provenance.json")).contains("tune-rule"), "the model records the search");
        CliRunner.Run again = run("train", "--data", a.toString(), "--config", out.resolve("chosen.xml").toString(),
                "--out", dir.resolve("again.model").toString());
        assertEquals(0, again.code(), "chosen.xml trains: " + again.err());
        // chosen.xml holds every field of the chosen run (features, threads, its first seed): the same model again
        var test = org.crane.InteractionDataSource.dataset(org.crane.data.DataDirectory.resolve(a, List.of()).load().interactions(),
                org.crane.data.Split.TEST);
        var evaluator = new org.crane.RankingEvaluator();
        assertEquals(evaluator.evaluate(org.crane.train.ModelFiles.load(out.resolve("chosen-seed3.model")), test).getMetrics(),
                evaluator.evaluate(org.crane.train.ModelFiles.load(dir.resolve("again.model")), test).getMetrics());
        assertTrue(Files.size(out.resolve("trials.png")) > 1000, "the chart");
    }
}
