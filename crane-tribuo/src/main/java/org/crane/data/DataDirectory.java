package org.crane.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An MMRec dataset folder: exactly one {@code .inter} file and modality matrices. Modalities are
 * chosen with {@code name=file} entries (file relative to the folder, or absolute); with none,
 * every {@code .npy} / {@code .npy.gz} in the folder is used, named after its file, in name order.
 * @param interFile the interaction file.
 * @param modalitySpecs {@code name=path} entries with resolved paths.
 */
public record DataDirectory(Path interFile, List<String> modalitySpecs) {

    /**
     * Resolves a folder.
     * @param given the folder (made absolute).
     * @param modalities {@code name=file} entries, or empty for every .npy / .npy.gz.
     * @return the layout.
     * @throws IOException when the folder cannot be listed or a file is missing.
     */
    public static DataDirectory resolve(Path given, List<String> modalities) throws IOException {
        // absolute, so that provenance names files that another working directory can still find
        Path dir = given.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "data folder not found");
        }
        List<Path> inters = new ArrayList<>();
        List<Path> npys = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(".inter")) {
                    inters.add(p);
                } else if (n.endsWith(".npy") || n.endsWith(".npy.gz")) {
                    npys.add(p);
                }
            }
        }
        if (inters.size() != 1) {
            throw new DataFormatException(dir, -1, "holds " + inters.size() + " .inter files " + names(inters) + "; expected exactly one");
        }
        List<String> specs = new ArrayList<>();
        if (modalities.isEmpty()) {
            npys.sort(null);
            for (Path p : npys) {
                specs.add(NpyReader.modalityName(p) + "=" + p);
            }
        } else {
            for (String m : modalities) {
                int eq = m.indexOf('=');
                if (eq <= 0 || eq == m.length() - 1) {
                    throw new IllegalArgumentException("--modality '" + m + "' is not of the form name=file");
                }
                Path p = dir.resolve(m.substring(eq + 1).trim());
                if (!Files.isRegularFile(p)) {
                    throw new NoSuchFileException(p.toString(), null, "modality '" + m.substring(0, eq) + "' file not found");
                }
                specs.add(m.substring(0, eq).trim() + "=" + p);
            }
        }
        return new DataDirectory(inters.get(0), List.copyOf(specs));
    }

    private static List<String> names(List<Path> ps) {
        List<String> l = new ArrayList<>();
        for (Path p : ps) {
            l.add(p.getFileName().toString());
        }
        return l;
    }

    /** @return the files this layout reads: the interactions and each modality's matrix. */
    public List<Path> inputFiles() {
        List<Path> files = new ArrayList<>(List.of(interFile));
        for (String m : modalitySpecs) {
            files.add(Path.of(m.substring(m.indexOf('=') + 1)));
        }
        return files;
    }

    /** @return the same folder with no modality selected (interactions only). */
    public DataDirectory withoutModalities() {
        return new DataDirectory(interFile, List.of());
    }

    /**
     * Loads the modalities and then the interactions, checking that item ids fit the matrices.
     * @return the loaded data.
     * @throws IOException when a file cannot be read.
     */
    public LoadedData load() throws IOException {
        boolean onlyCsv = !modalitySpecs.isEmpty() && modalitySpecs.stream().allMatch(m -> m.endsWith(".csv"));
        // CSV rows carry item ids, so their catalogue size comes from the interactions when no .npy gives it
        ItemFeatureSource features = new ItemFeatureSource(modalitySpecs, onlyCsv ? InteractionReader.read(interFile, -1).numItems() : -1);
        Interactions inter = InteractionReader.read(interFile, features.numItems());
        return new LoadedData(this, inter, features);
    }

    /**
     * A folder's data in memory.
     * @param layout where it came from.
     * @param interactions the interactions.
     * @param features the modalities.
     */
    public record LoadedData(DataDirectory layout, Interactions interactions, ItemFeatureSource features) {
    }
}
