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
 * The item kNN graphs of a shape's modalities, exact, by 8-bit products with exact re-ranking, and by
 * approximate search (HNSW): seconds, the process's peak memory during each, and the approximate
 * graphs' recall against the exact ones.
 */
final class KnnBenchmark {
    private KnnBenchmark() {
    }

    /**
     * One way of finding a shape's graphs.
     * @param seconds all modalities' graphs.
     * @param peakMb peak resident memory while they were built.
     * @param recall found / wanted over every modality's non-self exact neighbours (1 for the exact graphs).
     */
    record Measured(double seconds, double peakMb, double recall) {
        static final Measured SKIPPED = new Measured(Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * @param dataset the shape's name.
     * @param items catalogue size.
     * @param features the modalities' widths, e.g. "4096+384".
     * @param exact the exact graphs.
     * @param int8 the 8-bit products with re-ranking.
     * @param hnsw the HNSW search.
     */
    record Row(String dataset, int items, String features, Measured exact, Measured int8, Measured hnsw) {
    }

    /**
     * @param dataset the shape's name.
     * @param mods its modalities.
     * @param k neighbours per item.
     * @param efSearch HNSW candidates per search.
     * @param withHnsw whether to build the HNSW graphs (minutes per 10,000 items here).
     * @param threads engine threads (0 = all cores).
     * @return the row.
     */
    static Row run(String dataset, List<FeatureMatrix> mods, int k, int efSearch, boolean withHnsw, int threads) {
        Measured exactRow;
        Measured int8Row;
        Measured hnswRow = Measured.SKIPPED;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(threads))) {
            CooMatrix[] exact = new CooMatrix[mods.size()];
            exactRow = measure(engine, mods, k, KnnIndex.EXACT, exact, null);
            int8Row = measure(engine, mods, k, KnnIndex.int8(k), new CooMatrix[mods.size()], exact);
            if (withHnsw) {
                hnswRow = measure(engine, mods, k, KnnIndex.hnsw(efSearch), new CooMatrix[mods.size()], exact);
            }
        }
        String widths = String.join("+", mods.stream().map(f -> Integer.toString(f.cols())).toList());
        return new Row(dataset, mods.get(0).rows(), widths, exactRow, int8Row, hnswRow);
    }

    /** Builds every modality's graph by one index into {@code graphs}; recall against {@code exact} when given. */
    private static Measured measure(OrtEngine engine, List<FeatureMatrix> mods, int k, KnnIndex index, CooMatrix[] graphs,
                                    CooMatrix[] exact) {
        double seconds = 0;
        long wanted = 0;
        double found = 0;
        ProcessMemory.startPhase();
        for (int m = 0; m < mods.size(); m++) {
            FeatureMatrix f = mods.get(m);
            long t0 = System.nanoTime();
            graphs[m] = SemanticGraph.knn(engine, f.values(), f.rows(), f.cols(), k, index);
            seconds += (System.nanoTime() - t0) / 1e9;
            if (exact != null) {
                long w = (long) f.rows() * (Math.min(k, f.rows()) - 1);
                wanted += w;
                found += NeighbourRecall.of(exact[m], graphs[m]) * w;
            }
        }
        double peak = ProcessMemory.peakRssMb();
        return new Measured(seconds, peak, exact == null || wanted == 0 ? 1 : found / wanted);
    }

    static TextTable table(List<Row> rows, int efSearch) {
        TextTable t = new TextTable("dataset", "items", "features", "exact_s", "exact_peak_rss_mb", "int8_s", "int8_peak_rss_mb",
                "int8_recall", "hnsw_s", "hnsw_peak_rss_mb", "hnsw_recall", "ef_search");
        for (Row r : rows) {
            t.row(r.dataset(), r.items(), r.features(), seconds(r.exact()), megabytes(r.exact()),
                    seconds(r.int8()), megabytes(r.int8()), recall(r.int8()),
                    seconds(r.hnsw()), megabytes(r.hnsw()), recall(r.hnsw()), efSearch);
        }
        return t;
    }

    private static String seconds(Measured m) {
        return Double.isNaN(m.seconds()) ? "-" : String.format(Locale.ROOT, "%.2f", m.seconds());
    }

    private static String megabytes(Measured m) {
        return Double.isNaN(m.peakMb()) ? "-" : BenchCommand.fmt(m.peakMb());
    }

    private static String recall(Measured m) {
        return Double.isNaN(m.recall()) ? "-" : String.format(Locale.ROOT, "%.4f", m.recall());
    }
}
