package org.crane.data;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The item modalities of a dataset, as an OLCUT component: a list of {@code name=path} entries,
 * each a {@code .npy}, {@code .npy.gz} or {@code .csv} matrix whose row i holds item i. Its
 * provenance records each file's SHA-256 and shape, and nests inside the trainer's provenance.
 * A source can also wrap matrices that exist only in memory; their provenance then holds the
 * SHA-256 of the float data.
 */
public final class ItemFeatureSource implements Configurable, Provenancable<ConfiguredObjectProvenance> {

    @Config(description = "Modalities as name=path entries (.npy, .npy.gz or .csv with item id first); "
            + "order fixes the modality order of the model.")
    private List<String> modalities = new ArrayList<>();

    @Config(description = "Catalogue size used to read CSV modalities (ignored for .npy); -1 = unknown.")
    private int numItems = -1;

    private List<FeatureMatrix> matrices;
    private List<String> hashes;

    private ItemFeatureSource() {
    }

    /**
     * Reads modality files.
     * @param specs {@code name=path} entries.
     * @throws IOException when a file cannot be read.
     */
    public ItemFeatureSource(List<String> specs) throws IOException {
        this(specs, -1);
    }

    /**
     * Reads modality files, CSV ones with a known catalogue size.
     * @param specs {@code name=path} entries.
     * @param numItems the catalogue size for CSV modalities (-1: take it from an .npy modality).
     * @throws IOException when a file cannot be read.
     */
    public ItemFeatureSource(List<String> specs, int numItems) throws IOException {
        this.modalities = new ArrayList<>(specs);
        this.numItems = numItems;
        load();
    }

    /**
     * Wraps matrices held in memory (generated or already loaded).
     * @param matrices the modalities, possibly empty.
     * @return the source.
     */
    public static ItemFeatureSource inMemory(List<FeatureMatrix> matrices) {
        ItemFeatureSource s = new ItemFeatureSource();
        s.matrices = List.copyOf(matrices);
        s.hashes = new ArrayList<>();
        for (FeatureMatrix m : matrices) {
            s.modalities.add(m.name() + "=<memory>");
            s.hashes.add(FileFingerprint.sha256(m.values()));
        }
        s.validate();
        return s;
    }

    /** @return an empty source (no modalities: a pure collaborative-filtering model). */
    public static ItemFeatureSource none() {
        return inMemory(List.of());
    }

    @Override
    public void postConfig() {
        try {
            load();
        } catch (IOException | IllegalArgumentException e) {
            throw new PropertyException(e, "", "modalities", e.getMessage());
        }
    }

    private void load() throws IOException {
        FeatureMatrix[] ms = new FeatureMatrix[modalities.size()];
        String[] hs = new String[modalities.size()];
        int catalogue = numItems;
        for (boolean csvPass : new boolean[]{false, true}) {
            for (int k = 0; k < modalities.size(); k++) {
                String spec = modalities.get(k);
                int eq = spec.indexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) {
                    throw new IllegalArgumentException("Modality '" + spec + "' is not of the form name=path");
                }
                String name = spec.substring(0, eq).trim();
                Path p = Path.of(spec.substring(eq + 1).trim());
                boolean csv = p.getFileName().toString().endsWith(".csv");
                if (csv != csvPass) {
                    continue;
                }
                if (csv) {
                    if (catalogue <= 0) {
                        throw new IllegalArgumentException("CSV modality '" + name + "' (" + p + ") needs the catalogue size: "
                                + "set numItems, or add an .npy modality");
                    }
                    ms[k] = FeatureCsvReader.read(p, name, catalogue);
                } else {
                    ms[k] = NpyReader.read(p, name);
                    catalogue = catalogue > 0 ? catalogue : ms[k].rows();
                }
                hs[k] = FileFingerprint.of(p).sha256();
            }
        }
        this.matrices = List.of(ms);
        this.hashes = new ArrayList<>(List.of(hs));
        validate();
    }

    private void validate() {
        Set<String> names = new LinkedHashSet<>();
        for (FeatureMatrix m : matrices) {
            if (!names.add(m.name())) {
                throw new DataFormatException(null, -1, "modality name '" + m.name() + "' is used twice");
            }
            if (m.rows() != matrices.get(0).rows()) {
                throw new DataFormatException(pathOf(matrices.indexOf(m)), -1, "modality '" + m.name() + "' has " + m.rows() + " rows but '"
                        + matrices.get(0).name() + "' (" + pathOf(0).getFileName() + ") has " + matrices.get(0).rows()
                        + "; every modality needs one row per item");
            }
        }
    }

    private Path pathOf(int k) {
        String spec = modalities.get(k);
        return Path.of(spec.substring(spec.indexOf('=') + 1).trim());
    }

    /** @return the modalities, in configuration order. */
    public List<FeatureMatrix> getModalities() {
        return Collections.unmodifiableList(matrices);
    }

    /** @return the number of items every modality covers, or -1 when there is no modality. */
    public int numItems() {
        return matrices.isEmpty() ? -1 : matrices.get(0).rows();
    }

    /** @return the SHA-256 of each modality's file (or float data), in order. */
    public List<String> getHashes() {
        return Collections.unmodifiableList(hashes);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        Map<String, PrimitiveProvenance<?>> inst = new HashMap<>();
        for (int i = 0; i < matrices.size(); i++) {
            FeatureMatrix m = matrices.get(i);
            String k = DataFileProvenance.INSTANCE_PREFIX + m.name();
            inst.put(k + "-sha256", new HashProvenance(ProvenanceUtil.HashType.SHA256, k + "-sha256", hashes.get(i)));
            inst.put(k + "-shape", new StringProvenance(k + "-shape", m.rows() + "x" + m.cols()));
        }
        return new DataFileProvenance(this, "ItemFeatures", inst);
    }

    @Override
    public String toString() {
        return "ItemFeatureSource" + modalities;
    }
}
