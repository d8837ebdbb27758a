package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.crane.model.CraneConfig;

import java.util.List;

/**
 * The checks of {@link CraneTrainer#postConfig()}: each field's bounds, each error naming its own
 * field. Upper bounds keep sizes far from int overflow and graphs finite.
 */
final class TrainerValidation {
    private TrainerValidation() {
    }

    /**
     * @param t the trainer.
     * @throws PropertyException naming the first field out of bounds.
     */
    static void check(CraneTrainer t) {
        networkConfig(t);
        if (!(t.semanticWeightDecay >= 0)) {
            throw new PropertyException("", "semanticWeightDecay", "semanticWeightDecay must be >= 0, got " + t.semanticWeightDecay);
        }
        if (t.semanticGraphRefresh < 0) {
            throw new PropertyException("", "semanticGraphRefresh", "semanticGraphRefresh must be >= 0 epochs, got " + t.semanticGraphRefresh);
        }
        if (t.knnK < 1) {
            throw new PropertyException("", "knnK", "knnK must be >= 1, got " + t.knnK);
        }
        try {
            org.crane.graph.KnnIndex.resolve(t.knnIndex, 0, t.knnK, Math.max(1, t.knnEfSearch));
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "knnIndex", e.getMessage());
        }
        if (!(t.edgeDropRate >= 0 && t.edgeDropRate < 1)) {
            throw new PropertyException("", "edgeDropRate", "edgeDropRate must be in [0, 1), got " + t.edgeDropRate);
        }
        try {
            org.crane.RankingMetrics.cutoffOf(t.earlyStoppingMetric);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "earlyStoppingMetric", "earlyStoppingMetric " + e.getMessage());
        }
        if (t.optimizer == null) {
            throw new PropertyException("", "optimizer", "optimizer must name an optimiser component (e.g. org.crane.train.AdamOptimizer)");
        }
        if (!(t.learningRate > 0)) {
            throw new PropertyException("", "learningRate", "learningRate must be > 0, got " + t.learningRate);
        }
        // each bound named by its own field; upper bounds keep sizes far from int overflow and graphs finite
        bound("batchSize", t.batchSize, 1, 1 << 24);
        bound("maxEpochs", t.maxEpochs, 1, 1_000_000);
        bound("patience", t.patience, 1, 1_000_000);
        bound("topK", t.topK, 1, 1 << 20);
        bound("logEvery", t.logEvery, 1, 1_000_000);
        bound("threads", t.threads, 0, 4096);
        bound("embeddingSize", t.embeddingSize, 1, 8192);
        bound("recursions", t.recursions, 0, 64);
        bound("userItemLayers", t.userItemLayers, 0, 64);
        bound("itemGraphLayers", t.itemGraphLayers, 0, 64);
        bound("knnK", t.knnK, 1, 10_000);
        bound("knnEfSearch", t.knnEfSearch, 1, 100_000);
        bound("historyRefreshSteps", t.historyRefreshSteps, 0, 1_000_000_000);
        bound("semanticUpdateSteps", t.semanticUpdateSteps, 0, 1_000_000_000);
        for (String s : t.semanticScales) {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new PropertyException("", "semanticScales", "semantic scale '" + s + "' is not a number");
            }
            if (!(v >= 0 && v <= 100)) {
                throw new PropertyException("", "semanticScales", "semantic scales must be in [0, 100], got " + s);
            }
        }
        for (String w : t.modalityWeights) {
            try {
                Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new PropertyException("", "modalityWeights", "modality weight '" + w + "' is not a number");
            }
        }
    }

    private static void bound(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new PropertyException("", field, field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /**
     * @param t the trainer.
     * @return its network hyper-parameters.
     * @throws PropertyException naming the field CraneConfig refused.
     */
    static CraneConfig networkConfig(CraneTrainer t) {
        try {
            return CraneConfig.builder().embeddingSize(t.embeddingSize).recursions(t.recursions).tokens(t.tokens)
                    .untieRecursions(t.untieRecursions).userProfiles(t.userProfiles).userItemLayers(t.userItemLayers)
                    .itemGraphLayers(t.itemGraphLayers).temperature(t.temperature).contrastiveWeight(t.contrastiveWeight)
                    .regWeight(t.regWeight).itemGraphIds(t.itemGraphIds).coupling(t.semanticCoupling).build();
        } catch (IllegalArgumentException e) {
            // CraneConfig's messages name their field: report that one
            String msg = String.valueOf(e.getMessage());
            String field = "embeddingSize";
            for (String f : List.of("embeddingSize", "recursions", "tokens", "userItemLayers", "itemGraphLayers", "temperature",
                    "contrastiveWeight", "regWeight", "coupling")) {
                if (msg.startsWith(f)) {
                    field = f.equals("coupling") ? "semanticCoupling" : f;
                    break;
                }
            }
            throw new PropertyException("", field, msg);
        }
    }
}
