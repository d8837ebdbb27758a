package org.crane.cli;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import org.crane.cli.CliRunner.Run;
import org.crane.data.DemoDataset;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.provenance.ModelProvenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare, reproduce and the provenance JSON beside saved models, through the command line. */
class ProvenanceCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path other;

    static Path train(Path folder, String name, String... sets) {
        Path m = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", folder.toString(), "--out", m.toString(),
                "--set", "maxEpochs=2", "--set", "embeddingSize=16"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Run r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return m;
    }

    @BeforeAll
    static void data() throws Exception {
        data = dir.resolve("demo");
        DemoDataset.write(data, DemoDataset.SEED);
        other = dir.resolve("demo2");
        DemoDataset.write(other, DemoDataset.SEED);
        // the second folder differs from the first in its text modality only
        DemoDataset.write(dir.resolve("demo3"), DemoDataset.SEED + 1);
        Files.copy(dir.resolve("demo3").resolve("text.npy"), other.resolve("text.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void compareListsTheHyperParameterAndTheDataFileThatDiffer() {
        Path a = train(data, "a.model");
        Path b = train(other, "b.model", "learningRate=0.002");
        Run r = run("compare", a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trainer.learningRate") && r.out().contains("0.002"), r.out());
        assertTrue(r.out().contains("data-text-sha256"), r.out());
        assertTrue(r.out().contains("test Recall@20"), r.out());
        assertTrue(!r.out().contains("data-image-sha256"), "identical image file must be collapsed: " + r.out());
        Run md = run("compare", "--format", "md", a.toString(), b.toString());
        assertTrue(md.out().contains("| trainer.learningRate |"), md.out());
        Run json = run("compare", "--format", "json", a.toString(), b.toString());
        assertTrue(json.out().contains("\"differences\""), json.out());
        assertEquals(2, run("compare", a.toString()).code());
    }

    @Test
    void reproduceIsIdenticalAndNamesAChangedFile() throws Exception {
        Path folder = dir.resolve("repro");
        DemoDataset.write(folder, DemoDataset.SEED);
        Path m = train(folder, "r.model");
        // a model is a record: reproduce reads its data only once the user names or confirms the location
        Run unconfirmed = run("reproduce", m.toString());
        assertEquals(2, unconfirmed.code(), unconfirmed.out() + unconfirmed.err());
        assertTrue(unconfirmed.err().contains("reproduce reads only data you name") && unconfirmed.err().contains(folder.toString()),
                unconfirmed.err());
        Run r = run("reproduce", m.toString(), "--recorded-paths");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("identical"), r.out());
        Files.write(folder.resolve("image.npy"), Files.readAllBytes(dir.resolve("demo3").resolve("image.npy")));
        Run changed = run("reproduce", m.toString(), "--recorded-paths");
        assertEquals(1, changed.code());
        assertTrue(changed.out().contains("image.npy") && changed.out().contains("recorded sha256"), changed.out());
        String now = org.crane.data.FileFingerprint.of(folder.resolve("image.npy")).sha256();
        assertTrue(!changed.out().contains(now), "the changed file's own digest is not printed");
    }

    @Test
    void aModelTrainedWithARelativeDataPathReproducesFromAnotherFolder() throws Exception {
        // train in a child JVM whose working directory is the temp folder, naming the data relatively
        DemoDataset.write(dir.resolve("relative"), DemoDataset.SEED);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.crane.cli.CraneCli",
                "train", "--data", "relative", "--out", "rel.model", "--set", "maxEpochs=2", "--set", "embeddingSize=16")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("rel.log").toFile()).start();
        assertEquals(0, p.waitFor(), Files.readString(dir.resolve("rel.log")));
        // this JVM's working directory is the module's, where "relative" does not exist
        assertTrue(!Files.exists(Path.of("relative")));
        Run r = run("reproduce", dir.resolve("rel.model").toString(), "--recorded-paths");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("identical"), r.out());
    }

    @Test
    void reproduceReadsMovedDataFromTheDataRootItIsGiven() throws Exception {
        Path before = dir.resolve("before");
        DemoDataset.write(before, DemoDataset.SEED);
        Path m = train(before, "moved.model");
        Path after = dir.resolve("after");
        Files.move(before, after);
        Run lost = run("reproduce", m.toString(), "--recorded-paths");
        assertEquals(1, lost.code(), lost.out() + lost.err());
        assertTrue(lost.out().contains("missing now"), lost.out());
        Run found = run("reproduce", m.toString(), "--data-root", after.toString());
        assertEquals(0, found.code(), found.out() + found.err());
        assertTrue(found.out().contains("identical"), found.out());
    }

    @Test
    void provenanceJsonBesideTheModelEqualsTheModelsAndOnnxMetadata() throws Exception {
        Path m = train(data, "p.model");
        CraneModel model = ModelFiles.load(m);
        ModelProvenance fromJson = (ModelProvenance) new JsonProvenanceSerialization(true)
                .deserializeAndUnmarshal(Files.readString(ModelFiles.provenancePath(m)));
        assertEquals(model.getProvenance(), fromJson);
        Map<String, String> meta = new java.util.HashMap<>();
        for (var e : model.exportONNXModel("org.crane", 1).getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        ModelProvenance fromOnnx = (ModelProvenance) org.tribuo.ONNXExportable.SERIALIZER
                .deserializeAndUnmarshal(meta.get(org.tribuo.ONNXExportable.PROVENANCE_METADATA_FIELD));
        assertEquals(model.getProvenance(), fromOnnx);
    }
}
