package org.crane.provenance;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.data.FileFingerprint;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-trains a model from its provenance alone: the trainer (with its item-feature source) and the
 * training data source are rebuilt from the recorded configuration, the validation split is read
 * from the same interaction file, and the new model's representations are compared with the
 * original's. Before training, every recorded data file hash is checked against the file now on
 * disk, so a changed file is named instead of silently giving another model.
 */
public final class Reproducer {
    /**
     * What a reproduction found.
     * @param identical the new model's scores equal the original's bit for bit.
     * @param maxAbsDifference the largest difference between representations.
     * @param changedFiles recorded data files whose bytes changed (path: recorded hash to current hash).
     * @param reproduced the new model (null when a file changed and training was not attempted).
     * @param differences provenance paths that differ between the two models (wall-clock fields left out).
     */
    public record Outcome(boolean identical, double maxAbsDifference, List<String> changedFiles, CraneModel reproduced,
                          Map<String, List<String>> differences) {
    }

    private Reproducer() {
    }

    /**
     * @param original the model to reproduce.
     * @return the outcome.
     * @throws IOException when a recorded file cannot be read.
     */
    public static Outcome reproduce(CraneModel original) throws IOException {
        return reproduce(original, null);
    }

    /**
     * @param original the model to reproduce.
     * @param dataRoot a folder holding the recorded data files (found by file name), or null for the recorded paths.
     * @return the outcome.
     * @throws IOException when a data file cannot be read.
     */
    public static Outcome reproduce(CraneModel original, Path dataRoot) throws IOException {
        java.util.function.UnaryOperator<Path> where = p -> dataRoot == null ? p : dataRoot.resolve(p.getFileName());
        List<String> changed = changedFiles(ProvenanceUtil.convertToMap(original.getProvenance()), where);
        if (!changed.isEmpty()) {
            return new Outcome(false, Double.NaN, changed, null, Map.of());
        }
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(original.getProvenance());
        if (dataRoot != null) {
            repoint(config, where);
        }
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        List<CraneTrainer> trainers = cm.lookupAll(CraneTrainer.class);
        List<InteractionDataSource> sources = cm.lookupAll(InteractionDataSource.class);
        if (trainers.size() != 1 || sources.size() != 1) {
            throw new IllegalArgumentException("The provenance names " + trainers.size() + " CRANE trainers and " + sources.size()
                    + " interaction data sources; reproduction needs exactly one of each");
        }
        InteractionDataSource train = sources.get(0);
        MutableDataset<ItemId> trainSet = train.toDataset();
        MutableDataset<ItemId> valid = InteractionDataSource.dataset(train.getInteractions(), Split.VALID);
        CraneModel again = trainers.get(0).train(trainSet, valid.size() > 0 ? valid : null);
        double max = Math.max(maxAbs(original.getUserEmbeddings(), again.getUserEmbeddings()),
                maxAbs(original.getItemEmbeddings(), again.getItemEmbeddings()));
        Map<String, List<String>> diff = new ProvenanceDiff(List.of(original.getProvenance(), again.getProvenance())).differences(false);
        return new Outcome(max == 0.0, max, List.of(), again, diff);
    }

    private static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    /** A data file that a provenance map records, with the sha256 recorded for it. */
    record RecordedFile(Path path, String sha256) {
    }

    /**
     * Walks a provenance map for recorded data files: a configured {@code file} with a sibling
     * {@code data-sha256}, and {@code modalities} entries ({@code name=path}) with
     * {@code data-<name>-sha256} siblings.
     */
    @SuppressWarnings("unchecked")
    static List<RecordedFile> recordedFiles(Map<String, Object> map) {
        List<RecordedFile> files = new ArrayList<>();
        Object file = map.get("file");
        Object hash = map.get("data-sha256");
        if (file != null && hash != null) {
            files.add(new RecordedFile(Path.of(file.toString()), hash.toString()));
        }
        Object mods = map.get("modalities");
        if (mods instanceof List) {
            for (Object o : (List<Object>) mods) {
                String spec = o.toString();
                int eq = spec.indexOf('=');
                Object h = eq > 0 ? map.get("data-" + spec.substring(0, eq) + "-sha256") : null;
                if (h != null && !spec.endsWith("<memory>")) {
                    files.add(new RecordedFile(Path.of(spec.substring(eq + 1)), h.toString()));
                }
            }
        }
        for (Object v : map.values()) {
            if (v instanceof Map) {
                files.addAll(recordedFiles((Map<String, Object>) v));
            }
        }
        return files;
    }

    /** The recorded data files, found where {@code where} says, whose content no longer has the recorded hash. */
    static List<String> changedFiles(Map<String, Object> map, java.util.function.UnaryOperator<Path> where) throws IOException {
        List<String> changed = new ArrayList<>();
        for (RecordedFile f : recordedFiles(map)) {
            check(where.apply(f.path()), f.sha256(), changed);
        }
        return changed;
    }

    /**
     * @param model a model.
     * @return the folders of the data files its provenance records (for messages).
     */
    public static List<String> recordedFolders(CraneModel model) {
        java.util.Set<String> folders = new java.util.TreeSet<>();
        for (RecordedFile f : recordedFiles(ProvenanceUtil.convertToMap(model.getProvenance()))) {
            folders.add(String.valueOf(f.path().getParent()));
        }
        return List.copyOf(folders);
    }

    /** Points the data sources' recorded files ({@code file}, {@code modalities} entries) where {@code where} says. */
    private static void repoint(List<ConfigurationData> config, java.util.function.UnaryOperator<Path> where) {
        for (ConfigurationData cd : config) {
            cd.get("file").ifPresent(p -> {
                if (p instanceof com.oracle.labs.mlrg.olcut.config.property.SimpleProperty s) {
                    cd.add("file", new com.oracle.labs.mlrg.olcut.config.property.SimpleProperty(where.apply(Path.of(s.getValue())).toString()));
                }
            });
            cd.get("modalities").ifPresent(p -> {
                if (p instanceof com.oracle.labs.mlrg.olcut.config.property.ListProperty l) {
                    List<String> specs = new ArrayList<>();
                    for (com.oracle.labs.mlrg.olcut.config.property.SimpleProperty s : l.getSimpleList()) {
                        String spec = s.getValue();
                        int eq = spec.indexOf('=');
                        specs.add(eq > 0 && !spec.endsWith("<memory>")
                                ? spec.substring(0, eq + 1) + where.apply(Path.of(spec.substring(eq + 1))) : spec);
                    }
                    cd.add("modalities", com.oracle.labs.mlrg.olcut.config.property.ListProperty.createFromStringList(specs));
                }
            });
        }
    }

    private static void check(Path p, String recorded, List<String> changed) throws IOException {
        if (!Files.isRegularFile(p)) {
            changed.add(p + ": recorded sha256 " + recorded + ", the file is missing now");
            return;
        }
        String now = FileFingerprint.of(p).sha256();
        if (!now.equals(recorded)) {
            // the recorded digest only: a file's own digest is not printed (it could be a file the model merely names)
            changed.add(p + ": its content differs from the recorded sha256 " + recorded);
        }
    }
}
