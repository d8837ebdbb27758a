package org.crane.train;

import org.crane.data.ItemFeatureSource;
import org.crane.engine.ExecutionProvider;
import org.crane.model.CraneConfig;

import java.util.ArrayList;

/**
 * Builder-style construction of a {@link CraneTrainer} without XML; unset fields keep the trainer's
 * defaults, and {@link #build()} validates like OLCUT's {@code postConfig()}. Code names it as
 * {@code new CraneTrainer.Builder()}.
 */
public class CraneTrainerBuilder {
    private final CraneTrainer t = new CraneTrainer();

    /** A builder with every default. */
    CraneTrainerBuilder() {
    }

    /** @param v d. @return this. */
    public CraneTrainerBuilder embeddingSize(int v) { t.embeddingSize = v; return this; }
    /** @param v R. @return this. */
    public CraneTrainerBuilder recursions(int v) { t.recursions = v; return this; }
    /** @param v T. @return this. */
    public CraneTrainerBuilder tokens(int v) { t.tokens = v; return this; }
    /** @param v untie. @return this. */
    public CraneTrainerBuilder untieRecursions(boolean v) { t.untieRecursions = v; return this; }
    /** @param v profiles. @return this. */
    public CraneTrainerBuilder userProfiles(boolean v) { t.userProfiles = v; return this; }
    /** @param v L_ui. @return this. */
    public CraneTrainerBuilder userItemLayers(int v) { t.userItemLayers = v; return this; }
    /** @param v L_ii. @return this. */
    public CraneTrainerBuilder itemGraphLayers(int v) { t.itemGraphLayers = v; return this; }
    /** @param v also propagate item ID embeddings over the item-item graph. @return this. */
    public CraneTrainerBuilder itemGraphIds(boolean v) { t.itemGraphIds = v; return this; }
    /** @param v k. @return this. */
    public CraneTrainerBuilder knnK(int v) { t.knnK = v; return this; }
    /** @param v local steps with the history refreshed every v steps (1 = exact steps, 0 = auto). @return this */
    public CraneTrainerBuilder historyRefreshSteps(int v) { t.historyRefreshSteps = v; return this; }
    public CraneTrainerBuilder semanticUpdateSteps(int v) { t.semanticUpdateSteps = v; return this; }
    /** @param v auto, exact or hnsw. @return this */
    public CraneTrainerBuilder knnIndex(String v) { t.knnIndex = v; return this; }
    /** @param v candidates per HNSW search. @return this */
    public CraneTrainerBuilder knnEfSearch(int v) { t.knnEfSearch = v; return this; }
    /** @param v alpha_m. @return this. */
    public CraneTrainerBuilder modalityWeights(double... v) {
        t.modalityWeights = new ArrayList<>();
        for (double x : v) {
            t.modalityWeights.add(Double.toString(x));
        }
        return this;
    }
    /** @param v feature scaling. @return this. */
    public CraneTrainerBuilder featureScaling(org.crane.data.FeatureScaling v) { t.featureScaling = v; return this; }
    /** @param v how the two views share the objective. @return this. */
    public CraneTrainerBuilder semanticCoupling(CraneConfig.Coupling v) { t.semanticCoupling = v; return this; }
    /** @param v the semantic view's scales tried at each validation (none = 1 only). @return this. */
    public CraneTrainerBuilder semanticScales(double... v) {
        t.semanticScales = new ArrayList<>();
        for (double x : v) {
            t.semanticScales.add(Double.toString(x));
        }
        return this;
    }
    /** @param v cold items borrow their feature neighbours' behaviour. @return this. */
    public CraneTrainerBuilder coldItemsFromNeighbours(boolean v) { t.coldItemsFromNeighbours = v; return this; }
    /** @param v zero-initialise W_Z. @return this. */
    public CraneTrainerBuilder zeroInitSemanticOutput(boolean v) { t.zeroInitSemanticOutput = v; return this; }
    /** @param v epochs between rebuilds of the item graph from Z (0 = never). @return this. */
    public CraneTrainerBuilder semanticGraphRefresh(int v) { t.semanticGraphRefresh = v; return this; }
    /** @param v decoupled weight decay of the multimodal parameters. @return this. */
    public CraneTrainerBuilder semanticWeightDecay(float v) { t.semanticWeightDecay = v; return this; }
    /** @param v tau. @return this. */
    public CraneTrainerBuilder temperature(float v) { t.temperature = v; return this; }
    /** @param v lambda_cl. @return this. */
    public CraneTrainerBuilder contrastiveWeight(float v) { t.contrastiveWeight = v; return this; }
    /** @param v lambda_reg. @return this. */
    public CraneTrainerBuilder regWeight(float v) { t.regWeight = v; return this; }
    /** @param v rho. @return this. */
    public CraneTrainerBuilder edgeDropRate(float v) { t.edgeDropRate = v; return this; }
    /** @param v the validation metric to maximise, e.g. NDCG@10. @return this. */
    public CraneTrainerBuilder earlyStoppingMetric(String v) { t.earlyStoppingMetric = v; return this; }
    /** @param v the optimiser. @return this. */
    public CraneTrainerBuilder optimizer(OptimizerFactory v) { t.optimizer = v; return this; }
    /** @param v lr. @return this. */
    public CraneTrainerBuilder learningRate(float v) { t.learningRate = v; return this; }
    /** @param v batch. @return this. */
    public CraneTrainerBuilder batchSize(int v) { t.batchSize = v; return this; }
    /** @param v max epochs. @return this. */
    public CraneTrainerBuilder maxEpochs(int v) { t.maxEpochs = v; return this; }
    /** @param v patience. @return this. */
    public CraneTrainerBuilder patience(int v) { t.patience = v; return this; }
    /** @param v seed. @return this. */
    public CraneTrainerBuilder seed(long v) { t.seed = v; return this; }
    /** @param v threads. @return this. */
    public CraneTrainerBuilder threads(int v) { t.threads = v; return this; }
    /** @param v provider. @return this. */
    public CraneTrainerBuilder executionProvider(ExecutionProvider v) { t.executionProvider = v; return this; }
    /** @param v modalities. @return this. */
    public CraneTrainerBuilder itemFeatures(ItemFeatureSource v) { t.itemFeatures = v; return this; }
    /** @param v top-K in predictions. @return this. */
    public CraneTrainerBuilder topK(int v) { t.topK = v; return this; }
    /** @param v fallback. @return this. */
    public CraneTrainerBuilder popularityFallback(boolean v) { t.popularityFallback = v; return this; }
    /** @param v log interval. @return this. */
    public CraneTrainerBuilder logEvery(int v) { t.logEvery = v; return this; }

    /** @return the validated trainer. */
    public CraneTrainer build() {
        try {
            t.postConfig();
        } catch (com.oracle.labs.mlrg.olcut.config.PropertyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return t;
    }
}
