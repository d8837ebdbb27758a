package org.crane.train;

import org.crane.data.FeatureMatrix;
import org.crane.engine.OrtEngine;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnIndex;
import org.crane.graph.ScaledCoo;
import org.crane.model.SemanticGraph;

import java.util.List;

/**
 * The item-item graphs a run feeds: the semantic graph the network multiplies (kNN of the raw
 * features, or refreshed from the learned representation), the modality weights alpha_m (configured
 * or chosen from the training interactions), and the graph whose rows give a cold item's neighbours.
 */
final class ItemGraphs {
    private final List<FeatureMatrix> mods;
    private final List<String> hashes;
    private final int knnK;
    private final KnnIndex index;
    private final List<String> configuredWeights;
    private final boolean coldItemsFromNeighbours;

    /**
     * @param mods the raw modality matrices.
     * @param hashes their content hashes (the kNN cache key).
     * @param knnK neighbours per item.
     * @param index exact or approximate kNN graphs.
     * @param configuredWeights alpha_m as configured, or empty to choose them.
     * @param coldItemsFromNeighbours whether cold items borrow their neighbours' behaviour.
     */
    ItemGraphs(List<FeatureMatrix> mods, List<String> hashes, int knnK, KnnIndex index, List<String> configuredWeights,
               boolean coldItemsFromNeighbours) {
        this.mods = mods;
        this.hashes = hashes;
        this.knnK = knnK;
        this.index = index;
        this.configuredWeights = configuredWeights;
        this.coldItemsFromNeighbours = coldItemsFromNeighbours;
    }

    /** @return how the kNN graphs are found. */
    KnnIndex index() {
        return index;
    }

    /**
     * The item-item graph in the stacked form the network multiplies: the kNN graphs of the raw
     * features, or, once refreshed from the learned representation, that one graph in the first of
     * the K blocks (weight 1, the others empty).
     */
    ScaledCoo stacked(OrtEngine engine, CooMatrix refreshed, double[] weights) {
        return refreshed != null
                ? SemanticGraph.stack(List.of(refreshed), new double[]{1}, mods.size())
                : SemanticGraph.stack(SemanticGraph.graphs(engine, mods, hashes, knnK, index), weights, mods.size());
    }

    /**
     * The item-item graph of the raw features (sum of alpha_m times each modality's kNN graph) whose
     * rows give a cold item's neighbours, or null: no modalities, no cold item, or the option off.
     */
    CooMatrix coldItemNeighbours(OrtEngine engine, TrainingData data, double[] weights) {
        if (mods.isEmpty() || !coldItemsFromNeighbours || data.trainItems().length == data.numItems) {
            return null;
        }
        double[] w = weights != null ? weights : weights(engine, data.itemsByUser);
        List<CooMatrix> graphs = SemanticGraph.graphs(engine, mods, hashes, knnK, index);
        CooMatrix sum = graphs.get(0).scale((float) w[0]);
        for (int k = 1; k < graphs.size(); k++) {
            sum = sum.plus(graphs.get(k).scale((float) w[k]));
        }
        return sum;
    }

    /** alpha_m as configured, or chosen from the training interactions when none is configured. */
    double[] weights(OrtEngine engine, int[][] itemsByUser) {
        if (!configuredWeights.isEmpty()) {
            if (configuredWeights.size() != mods.size()) {
                throw new IllegalArgumentException(mods.size() + " modalities but " + configuredWeights.size() + " modalityWeights");
            }
            return configuredWeights.stream().mapToDouble(Double::parseDouble).toArray();
        }
        return ModalityWeighting.fromTraining(mods.stream().map(FeatureMatrix::name).toList(),
                SemanticGraph.graphs(engine, mods, hashes, knnK, index), itemsByUser);
    }
}
