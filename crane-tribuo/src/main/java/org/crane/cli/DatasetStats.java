package org.crane.cli;

import org.crane.data.DataDirectory;
import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.Split;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Renders the {@code stats} report of a loaded dataset. */
final class DatasetStats {
    private DatasetStats() {
    }

    static String render(DataDirectory.LoadedData data) {
        Interactions in = data.interactions();
        StringBuilder sb = new StringBuilder();
        sb.append("Dataset: ").append(data.layout().interFile().toAbsolutePath().normalize().getParent()).append('\n');
        sb.append("Interactions: ").append(data.layout().interFile().getFileName())
                .append("  sha256 ").append(in.source().sha256()).append("\n\n");
        double density = (double) in.size() / ((double) in.numUsers() * in.numItems());
        sb.append(new TextTable("users", "items", "interactions", "density")
                .row(in.numUsers(), in.numItems(), in.size(), String.format(Locale.ROOT, "%.4f%%", 100 * density)).render());
        sb.append('\n');
        TextTable splits = new TextTable("split", "interactions", "users", "items", "users not in train", "items not in train");
        int[][] train = in.itemsByUser(Split.TRAIN);
        boolean[] trainItem = new boolean[in.numItems()];
        for (int[] items : train) {
            for (int i : items) {
                trainItem[i] = true;
            }
        }
        for (Split s : Split.values()) {
            int[][] byUser = s == Split.TRAIN ? train : in.itemsByUser(s);
            boolean[] item = new boolean[in.numItems()];
            int users = 0;
            int usersMissing = 0;
            for (int u = 0; u < byUser.length; u++) {
                if (byUser[u].length > 0) {
                    users++;
                    if (train[u].length == 0) {
                        usersMissing++;
                    }
                }
                for (int i : byUser[u]) {
                    item[i] = true;
                }
            }
            int items = 0;
            int itemsMissing = 0;
            for (int i = 0; i < item.length; i++) {
                if (item[i]) {
                    items++;
                    if (!trainItem[i]) {
                        itemsMissing++;
                    }
                }
            }
            splits.row(s.label(), in.count(s), users, items, usersMissing, itemsMissing);
        }
        sb.append(splits.render());
        int usersNoTrain = 0;
        for (int[] t : train) {
            if (t.length == 0) {
                usersNoTrain++;
            }
        }
        int itemsNoTrain = 0;
        for (boolean b : trainItem) {
            if (!b) {
                itemsNoTrain++;
            }
        }
        sb.append(String.format(Locale.ROOT, "%nUsers with no training interaction: %d of %d; catalogue items with no training interaction: %d of %d%n%n",
                usersNoTrain, in.numUsers(), itemsNoTrain, in.numItems()));
        List<FeatureMatrix> mods = data.features().getModalities();
        if (mods.isEmpty()) {
            sb.append("Modalities: none\n");
        } else {
            TextTable t = new TextTable("modality", "file", "rows", "cols", "sha256");
            for (int i = 0; i < mods.size(); i++) {
                FeatureMatrix m = mods.get(i);
                String spec = data.layout().modalitySpecs().get(i);
                t.row(m.name(), Path.of(spec.substring(spec.indexOf('=') + 1)).getFileName(), m.rows(), m.cols(), data.features().getHashes().get(i));
            }
            sb.append(t.render());
        }
        return sb.toString();
    }
}
