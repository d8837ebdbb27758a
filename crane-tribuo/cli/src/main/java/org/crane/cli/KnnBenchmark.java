package org.crane.cli;

import org.crane.data.FeatureMatrix;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.eval.NeighbourRecall;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnIndex;
import org.crane.model.SemanticGraph;

import java.util.List;
import java.util.Locale;

/**
 * The item kNN graphs of a shape's modalities, exact and approximate (HNSW): seconds, the process's
 * peak memory during each, and the approximate graphs' recall against the exact ones.
 */
final class KnnBenchmark {
    private KnnBenchmark() {
    }

    /**
     * @param dataset the shape's name.
     * @param items catalogue size.
     * @param features the modalities' widths, e.g. "4096+384".
     * @param exactSeconds all modalities' exact graphs.
     * @param exactPeakMb peak resident memory while they were built.
     * @param hnswSeconds all modalities' approximate graphs.
     * @param hnswPeakMb peak resident memory while they were built.
     * @param recall found / wanted over every modality's non-self exact neighbours.
     */
    record Row(String dataset, int items, String features, double exactSeconds, double exactPeakMb, double hnswSeconds,
               double hnswPeakMb, double recall) {
    }

    static Row run(String dataset, List<FeatureMatrix> mods, int k, int efSearch, int threads) {
        KnnIndex hnsw = new KnnIndex(true, efSearch);
        double exactSecs = 0;
        double hnswSecs = 0;
        double exactPeak;
        double hnswPeak;
        long wanted = 0;
        double found = 0;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(threads))) {
            CooMatrix[] exact = new CooMatrix[mods.size()];
            ProcessMemory.startPhase();
            for (int m = 0; m < mods.size(); m++) {
                FeatureMatrix f = mods.get(m);
                long t0 = System.nanoTime();
                exact[m] = SemanticGraph.knn(engine, f.values(), f.rows(), f.cols(), k);
                exactSecs += (System.nanoTime() - t0) / 1e9;
            }
            exactPeak = ProcessMemory.peakRssMb();
            ProcessMemory.startPhase();
            for (int m = 0; m < mods.size(); m++) {
                FeatureMatrix f = mods.get(m);
                long t0 = System.nanoTime();
                CooMatrix approx = SemanticGraph.knn(engine, f.values(), f.rows(), f.cols(), k, hnsw);
                hnswSecs += (System.nanoTime() - t0) / 1e9;
                long w = (long) f.rows() * (Math.min(k, f.rows()) - 1);
                wanted += w;
                found += NeighbourRecall.of(exact[m], approx) * w;
            }
            hnswPeak = ProcessMemory.peakRssMb();
        }
        String widths = String.join("+", mods.stream().map(f -> Integer.toString(f.cols())).toList());
        return new Row(dataset, mods.get(0).rows(), widths, exactSecs, exactPeak, hnswSecs, hnswPeak, wanted == 0 ? 1 : found / wanted);
    }

    static TextTable table(List<Row> rows, int efSearch) {
        TextTable t = new TextTable("dataset", "items", "features", "exact_s", "exact_peak_rss_mb", "hnsw_s", "hnsw_peak_rss_mb",
                "hnsw_recall", "ef_search");
        for (Row r : rows) {
            t.row(r.dataset(), r.items(), r.features(), String.format(Locale.ROOT, "%.2f", r.exactSeconds()), BenchCommand.fmt(r.exactPeakMb()),
                    String.format(Locale.ROOT, "%.2f", r.hnswSeconds()), BenchCommand.fmt(r.hnswPeakMb()),
                    String.format(Locale.ROOT, "%.4f", r.recall()), efSearch);
        }
        return t;
    }
}
