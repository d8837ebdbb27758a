package org.crane.cli;

import org.crane.data.DataDirectory;
import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.eval.GraphAgreement;
import org.crane.graph.KnnGraphBuilder;
import org.crane.model.SemanticGraph;

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

    /**
     * The {@code --neighbours} report: each item kNN graph's share of held-out pairs (see
     * {@link GraphAgreement}), next to the behavioural graph and a random graph of the same degree.
     */
    static String renderAgreement(DataDirectory.LoadedData data, int k, int efSearch) {
        Interactions in = data.interactions();
        int n = in.numItems();
        int[][] train = in.itemsByUser(Split.TRAIN);
        int[][] valid = in.itemsByUser(Split.VALID);
        int[][] test = in.itemsByUser(Split.TEST);
        int[][] heldOut = new int[train.length][];
        for (int u = 0; u < heldOut.length; u++) {
            heldOut[u] = java.util.stream.IntStream.concat(java.util.Arrays.stream(valid[u]), java.util.Arrays.stream(test[u]))
                    .distinct().sorted().toArray();
        }
        List<GraphAgreement> rows = new java.util.ArrayList<>();
        rows.add(GraphAgreement.of("training interactions (cosine)",
                KnnGraphBuilder.build(new CoInteractionScorer(train, n), k), train, heldOut));
        TextTable ann = new TextTable("modality", "items", "features", "exact_s", "int8_s", "int8_recall", "hnsw_s", "hnsw_recall");
        org.crane.graph.KnnIndex int8 = org.crane.graph.KnnIndex.int8(k);
        org.crane.graph.KnnIndex hnsw = org.crane.graph.KnnIndex.hnsw(efSearch);
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT)) {
            for (FeatureMatrix m : data.features().getModalities()) {
                long t0 = System.nanoTime();
                org.crane.graph.CooMatrix exact = SemanticGraph.knn(engine, m.values(), m.rows(), m.cols(), k);
                List<String> cells = new java.util.ArrayList<>(List.of(m.name(), Integer.toString(m.rows()), Integer.toString(m.cols()),
                        String.format(Locale.ROOT, "%.2f", (System.nanoTime() - t0) / 1e9)));
                rows.add(GraphAgreement.of(m.name() + " (cosine)", exact, train, heldOut));
                for (org.crane.graph.KnnIndex index : List.of(int8, hnsw)) {
                    long t1 = System.nanoTime();
                    org.crane.graph.CooMatrix approx = SemanticGraph.knn(engine, m.values(), m.rows(), m.cols(), k, index);
                    cells.add(String.format(Locale.ROOT, "%.2f", (System.nanoTime() - t1) / 1e9));
                    cells.add(String.format(Locale.ROOT, "%.4f", org.crane.eval.NeighbourRecall.of(exact, approx)));
                    rows.add(GraphAgreement.of(m.name() + (index == int8 ? " (cosine, int8)" : " (cosine, HNSW)"), approx, train, heldOut));
                }
                ann.row(cells.toArray());
            }
        }
        TextTable t = new TextTable("item graph", "neighbours", "held-out pairs covered", "share");
        for (GraphAgreement g : rows) {
            t.row(g.graph(), String.format(Locale.ROOT, "%.1f", g.meanNeighbours()), g.covered() + " of " + g.pairs(),
                    String.format(Locale.ROOT, "%.2f%%", 100 * g.share()));
        }
        // a random graph of that degree holds each of an item's n - 1 possible neighbours with probability degree / (n - 1)
        double degree = rows.get(0).meanNeighbours();
        t.row("random, same degree (expected)", String.format(Locale.ROOT, "%.1f", degree), "",
                String.format(Locale.ROOT, "%.2f%%", n > 1 ? 100 * degree / (n - 1) : 0));
        String out = String.format(Locale.ROOT, "%nItem kNN graphs, k = %d (self included): share of (training item, held-out item) pairs of the same "
                + "user whose held-out item is a neighbour of the training item%n", k) + t.render();
        if (!data.features().getModalities().isEmpty()) {
            out += String.format(Locale.ROOT, "%nApproximate kNN graphs (int8: %s; hnsw: %s) against the exact ones: recall = share "
                    + "of the exact neighbours (self excluded) the approximate graph lists%n", int8, hnsw) + ann.render();
        }
        return out;
    }
}
