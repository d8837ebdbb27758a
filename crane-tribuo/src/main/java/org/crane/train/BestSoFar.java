package org.crane.train;

import org.crane.RankingEvaluator;
import org.crane.engine.Session;

import java.util.Map;

/**
 * Early stopping on a validation metric (Recall@20 unless the trainer's {@code earlyStoppingMetric}
 * says otherwise): after each epoch the fused representations are scored at every semantic scale,
 * each scale's curve of the metric is recorded ({@link ScaleCurves}), and the best epoch's
 * representations, scale and metric are kept. Training stops once every scale's curve has stalled.
 */
final class BestSoFar {
    /** One epoch's validation at its best scale: Recall@20 and NDCG@20 (what the epoch log records). */
    record Validation(double recall, double ndcg, double scale) {
        static final Validation NONE = new Validation(Double.NaN, Double.NaN, Double.NaN);
    }

    private final double[] scales;
    private final String metric;
    private final int[] cutoffs;
    private ScaleCurves curves;
    private float[][] best;
    private int epoch;
    private double value = Double.NEGATIVE_INFINITY;
    private double scale = Double.NaN;
    private double semanticShare = Double.NaN;

    /**
     * @param scales the semantic scales to choose from.
     * @param metric the validation metric to maximise, e.g. {@code Recall@20}.
     */
    BestSoFar(double[] scales, String metric) {
        this.scales = scales;
        this.metric = metric;
        int k = org.crane.RankingMetrics.cutoffOf(metric);
        this.cutoffs = k == 20 ? new int[]{20} : new int[]{Math.min(k, 20), Math.max(k, 20)};
        this.curves = new ScaleCurves(scales.length);
    }

    /**
     * Takes the state a checkpoint saved.
     * @param c the checkpoint.
     */
    void restore(TrainingCheckpoint c) {
        if (c.scaleBest().length != scales.length) {
            throw new IllegalArgumentException("The checkpoint tracks " + c.scaleBest().length + " semantic scales, "
                    + "this configuration " + scales.length);
        }
        best = c.bestUsers() == null ? null : new float[][]{c.bestUsers(), c.bestItems()};
        epoch = c.bestEpoch();
        value = c.bestRecall();
        scale = c.bestScale();
        curves = new ScaleCurves(c.scaleBest(), c.scaleSince());
    }

    /**
     * Scores one epoch's representations at every scale and keeps them when they beat the best.
     * @param epoch the epoch.
     * @param views the epoch's behaviour and semantic views.
     * @param dot a dot-product scoring session.
     * @param d the width.
     * @param seen the training items of each user (excluded from rankings).
     * @param validRel the validation targets.
     * @param multimodal whether the semantic share is worth logging.
     * @return the epoch's validation at its best scale.
     */
    Validation validate(int epoch, ViewFusion.Views views, Session dot, int d, int[][] seen, int[][] validRel, boolean multimodal) {
        double bestValue = Double.NaN;
        double bestRecall = Double.NaN;
        double bestNdcg = Double.NaN;
        double bestScale = Double.NaN;
        float[][] bestFused = null;
        for (int s = 0; s < scales.length; s++) {
            float[][] fused = views.at(scales[s]);
            try (EmbeddingScorer scorer = new EmbeddingScorer(dot, fused[0], fused[1], d, seen)) {
                Map<String, Double> metrics = new RankingEvaluator(cutoffs).evaluate(scorer, validRel).means();
                double value = metrics.get(metric);
                curves.record(s, value);
                if (bestFused == null || value > bestValue) {
                    bestValue = value;
                    bestRecall = metrics.get("Recall@20");
                    bestNdcg = metrics.get("NDCG@20");
                    bestScale = scales[s];
                    bestFused = fused;
                }
            }
        }
        if (bestValue > value) {
            value = bestValue;
            this.epoch = epoch;
            scale = bestScale;
            best = bestFused;
            if (multimodal) {
                semanticShare = ViewFusion.semanticShare(bestFused, views.behaviour(), validRel, d);
            }
        }
        return new Validation(bestRecall, bestNdcg, bestScale);
    }

    /**
     * Without validation data the last epoch is kept, with the semantic view at full scale.
     * @param last the last epoch.
     * @param fused its fused representations.
     */
    void keepLast(int last, float[][] fused) {
        best = fused;
        epoch = last;
        scale = 1.0;
    }

    /** @param patience epochs without improvement allowed. @return whether every scale's curve has stalled. */
    boolean exhausted(int patience) {
        return curves.exhausted(patience);
    }

    /** @return epochs since any scale last improved. */
    int epochsSinceAnyImproved() {
        return curves.epochsSinceAnyImproved();
    }

    /** @return the per-scale curves, for checkpoints. */
    ScaleCurves curves() {
        return curves;
    }

    /** @return the best representations {users, items}, or null before any validation. */
    float[][] representations() {
        return best;
    }

    /** @return the metric early stopping maximises. */
    String metric() {
        return metric;
    }

    /** @return the best epoch (0 before any). */
    int epoch() {
        return epoch;
    }

    /** @return the best value of the validation metric. */
    double value() {
        return value;
    }

    /** @return the semantic scale of the best epoch. */
    double scale() {
        return scale;
    }

    /** @return the semantic terms' share of the best epoch's validation scores, or NaN. */
    double semanticShare() {
        return semanticShare;
    }
}
