package org.crane;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.crane.ItemId;
import org.crane.data.FeatureMatrix;
import org.crane.data.FileFingerprint;
import org.crane.data.ItemFeatureSource;
import org.crane.data.NpyWriter;
import org.crane.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.provenance.DataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionDataSourceTest {
    @TempDir
    Path dir;

    @Test
    void examplesCarryUserFeatureItemOutputAndWeight() throws IOException {
        Path f = Files.writeString(dir.resolve("d.inter"), "userID\titemID\trating\tx_label\n3\t1\t2\t0\n4\t0\t1\t0\n3\t0\t1\t2\n");
        MutableDataset<ItemId> train = new InteractionDataSource(f, Split.TRAIN).toDataset();
        assertEquals(2, train.size());
        Example<ItemId> first = train.getExample(0);
        assertEquals(new ItemId("1"), first.getOutput());
        assertEquals(2f, first.getWeight());
        assertEquals("user=3", first.iterator().next().getName());
        assertEquals(1, new InteractionDataSource(f, Split.TEST).toDataset().size());
    }

    @Test
    void provenanceHashesTheFileAndRoundTrips() throws IOException {
        Path f = Files.writeString(dir.resolve("d.inter"), "userID\titemID\tx_label\n0\t1\t0\n");
        InteractionDataSource src = new InteractionDataSource(f, Split.TRAIN);
        DataSourceProvenance p = src.getProvenance();
        Map<String, Object> map = ProvenanceUtil.convertToMap(p);
        assertEquals(FileFingerprint.of(f).sha256(), map.get("data-sha256"));
        assertEquals("TRAIN", map.get("split"));
        List<ObjectMarshalledProvenance> m = ProvenanceUtil.marshalProvenance(p);
        assertEquals(p, ProvenanceUtil.unmarshalProvenance(m));
        assertEquals(p, new InteractionDataSource(f, Split.TRAIN).getProvenance(), "same bytes, same provenance");
        Files.writeString(f, "userID\titemID\tx_label\n0\t2\t0\n");
        assertNotEquals(p, new InteractionDataSource(f, Split.TRAIN).getProvenance(), "changed bytes, changed provenance");
    }

    @Test
    void configurableFromOlcutXml() throws IOException {
        Path f = Files.writeString(dir.resolve("d.inter"), "userID\titemID\tx_label\n0\t1\t0\n1\t1\t1\n");
        Path xml = Files.writeString(dir.resolve("c.xml"), "<?xml version=\"1.0\"?>\n<config>\n"
                + "<component name=\"valid\" type=\"org.crane.InteractionDataSource\">\n"
                + "  <property name=\"file\" value=\"" + f + "\"/>\n  <property name=\"split\" value=\"VALID\"/>\n</component>\n</config>\n");
        ConfigurationManager cm = new ConfigurationManager(xml.toString());
        InteractionDataSource src = (InteractionDataSource) cm.lookup("valid");
        assertEquals(Split.VALID, src.getSplit());
        assertEquals(1, src.toDataset().size());
    }

    @Test
    void featureSourceProvenanceNamesEachModalityHash() throws IOException {
        Path a = dir.resolve("a.npy");
        NpyWriter.write(new FeatureMatrix("a", 2, 2, new float[]{1, 2, 3, 4}), a);
        ItemFeatureSource s = new ItemFeatureSource(List.of("img=" + a));
        Map<String, Object> map = ProvenanceUtil.convertToMap(s.getProvenance());
        assertEquals(FileFingerprint.of(a).sha256(), map.get("data-img-sha256"));
        assertEquals("2x2", map.get("data-img-shape"));
        assertTrue(ItemFeatureSource.none().getModalities().isEmpty());
    }
}
