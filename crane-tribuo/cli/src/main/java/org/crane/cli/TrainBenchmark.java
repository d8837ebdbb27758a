package org.crane.cli;

import org.crane.InteractionDataSource;
import org.crane.ItemId;
import org.crane.RankingEvaluator;
import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.graph.ScaledCoo;
import org.crane.model.SemanticGraph;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.tribuo.MutableDataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures CRANE training on one dataset: seconds per epoch (median and spread over timed epochs
 * after warm-up ones, no validation inside), seconds per full evaluation of the test split, the
 * item kNN graph's build time and peak memory, the process's peak resident memory, and achieved
 * GFLOP/s against {@link StepFlops}.
 */
final class TrainBenchmark {
    private static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger(TrainBenchmark.class.getName());

    /**
     * One dataset's figures.
     * @param dataset its name.
     * @param users M.
     * @param items N.
     * @param trainInteractions training rows.
     * @param epochs epoch seconds (median, min, max) over the timed epochs.
     * @param eval full-evaluation seconds (median, min, max).
     * @param knnSeconds time to build the item kNN graph (0 without modalities).
     * @param knnPeakRssMb peak resident memory while it was built.
     * @param peakRssMb peak resident memory of the whole measurement.
     * @param gflopPerEpoch FLOPs of one epoch, in GFLOP.
     */
    record Result(String dataset, int users, int items, int trainInteractions, BenchTimer.Stats epochs, BenchTimer.Stats eval,
                  double knnSeconds, double knnPeakRssMb, double peakRssMb, double gflopPerEpoch) {
        double gflopsPerSecond() {
            return gflopPerEpoch / epochs.medianMs() * 1000;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", dataset);
            m.put("users", users);
            m.put("items", items);
            m.put("train_interactions", trainInteractions);
            m.put("epoch_seconds_median", epochs.medianMs() / 1000);
            m.put("epoch_seconds_min", epochs.minMs() / 1000);
            m.put("epoch_seconds_max", epochs.maxMs() / 1000);
            m.put("eval_seconds_median", eval.medianMs() / 1000);
            m.put("eval_seconds_min", eval.minMs() / 1000);
            m.put("eval_seconds_max", eval.maxMs() / 1000);
            m.put("knn_seconds", knnSeconds);
            m.put("knn_peak_rss_mb", knnPeakRssMb);
            m.put("peak_rss_mb", peakRssMb);
            m.put("gflop_per_epoch", gflopPerEpoch);
            m.put("gflops_per_second", gflopsPerSecond());
            return m;
        }
    }

    private TrainBenchmark() {
    }

    /** The item kNN graph's build: seconds, the process's peak resident MB, and the graph's non-zeros. */
    private record KnnPhase(double seconds, double peakRssMb, long nonZeros) {
    }

    /**
     * Builds the item kNN graph as training would (the trainer then finds it in the kNN cache: same
     * content hashes and k), after a full GC, timing it and reading the process's peak memory.
     */
    private static KnnPhase knnPhase(String name, CraneTrainer trainer, int threads) {
        List<FeatureMatrix> mods = trainer.itemFeatures().getModalities();
        ProcessMemory.startPhase();
        double before = ProcessMemory.rssMb();
        long t0 = System.nanoTime();
        ScaledCoo s;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(threads))) {
            s = SemanticGraph.build(engine, mods, trainer.itemFeatures().getHashes(), trainer.modalityWeights(mods.size()), trainer.knnK(),
                    trainer.knnIndex(mods.get(0).rows()));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double peak = ProcessMemory.peakRssMb();
        long featureBytes = mods.stream().mapToLong(f -> 4L * f.rows() * f.cols()).sum();
        LOGGER.info(String.format(java.util.Locale.ROOT, "%s kNN build: resident %.0f MB before it (features %.0f MB), peak %.0f MB: %.0f MB added by the build",
                name, before, featureBytes / 1048576.0, peak, peak - before));
        return new KnnPhase(secs, peak, s.nnz());
    }

    /**
     * @param name the dataset's name.
     * @param data the interactions.
     * @param trainer a trainer whose maxEpochs is warmup + epochs.
     * @param warmup untimed epochs.
     * @param evalRuns timed evaluations (after one untimed).
     * @param threads ONNX Runtime threads of the kNN build.
     * @return the figures.
     */
    static Result run(String name, Interactions data, CraneTrainer trainer, int warmup, int evalRuns, int threads) {
        ProcessMemory.startPhase();
        MutableDataset<ItemId> train = InteractionDataSource.dataset(data, Split.TRAIN);
        MutableDataset<ItemId> test = InteractionDataSource.dataset(data, Split.TEST);
        List<FeatureMatrix> mods = trainer.itemFeatures() == null ? List.of() : trainer.itemFeatures().getModalities();
        KnnPhase knn = !mods.isEmpty() && trainer.networkConfig().itemGraphLayers() > 0
                ? knnPhase(name, trainer, threads) : new KnnPhase(0, Double.NaN, 0);
        List<Double> seconds = new ArrayList<>();
        CraneModel model = trainer.train(train, null, Map.of(), (e, max, best) -> seconds.add(e.seconds()));
        double[] timed = seconds.subList(Math.min(warmup, seconds.size() - 1), seconds.size()).stream().mapToDouble(s -> s * 1000).toArray();
        RankingEvaluator ev = new RankingEvaluator();
        BenchTimer.Stats eval = BenchTimer.time(1, evalRuns, () -> ev.evaluate(model, test));
        double peak = ProcessMemory.peakRssMb();
        int pairs = train.size();
        long kept = (long) Math.floor((1 - trainer.edgeDropRate()) * pairs);
        int batch = trainer.batchSize();
        int steps = (pairs + batch - 1) / batch;
        int[] dims = mods.stream().mapToInt(FeatureMatrix::cols).toArray();
        // expected distinct users of a batch of b pairs drawn without replacement, and their interactions
        // (the profile rows a step multiplies): user u appears with probability 1 - (1 - b/P)^deg(u)
        double q = 1 - (double) Math.min(batch, pairs) / pairs;
        double batchUsers = 0;
        double profileNonZeros = 0;
        for (int[] seen : data.itemsByUser(Split.TRAIN)) {
            double in = 1 - Math.pow(q, seen.length);
            batchUsers += in;
            profileNonZeros += in * seen.length;
        }
        double flops = StepFlops.trainingStep(trainer.networkConfig(), data.numUsers(), data.numItems(), dims, 2 * kept, knn.nonZeros(),
                Math.round(profileNonZeros), Math.min(batch, pairs), (int) Math.round(batchUsers), Math.min(batch, data.numItems())) * steps;
        return new Result(name, data.numUsers(), data.numItems(), pairs, BenchTimer.stats(timed), eval, knn.seconds(), knn.peakRssMb(), peak, flops / 1e9);
    }
}
