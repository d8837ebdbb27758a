package org.crane.graph;

import java.util.Locale;

/**
 * How an item kNN graph is found: by exact similarity products ({@link KnnGraphBuilder}), or by
 * approximate search ({@link HnswKnn}).
 * @param approximate whether the HNSW search is used.
 * @param efSearch candidates per HNSW search (unused when exact).
 */
public record KnnIndex(boolean approximate, int efSearch) {
    /**
     * Catalogues of at least this many items take the approximate search under {@code auto}. Measured on
     * 2 cores at 4096 + 384 features: the exact products (one GEMM per tile, ~90 GFLOP/s) take 2.4 s for
     * 7,050 items, 8.0 s for 18,357 and 71 to 183 s (two runs) for 63,001, growing as n^2; the HNSW build
     * and searches (one similarity at a time, memory-bound at these widths) take 8 to 11 ms per item,
     * growing as n log n. They cross between 300,000 and 700,000 items; auto takes the lower bound
     * (docs/large-catalogues.md).
     */
    public static final int AUTO_FROM_ITEMS = 300_000;
    /** The exact graph. */
    public static final KnnIndex EXACT = new KnnIndex(false, 0);

    /** Checks the search width. */
    public KnnIndex {
        if (approximate && efSearch < 1) {
            throw new IllegalArgumentException("efSearch must be >= 1, got " + efSearch);
        }
    }

    /**
     * @param setting {@code auto}, {@code exact} or {@code hnsw} (any case).
     * @param items the catalogue size.
     * @param efSearch candidates per HNSW search.
     * @return the index: {@code auto} is exact below {@link #AUTO_FROM_ITEMS} items, approximate from there.
     * @throws IllegalArgumentException for another setting.
     */
    public static KnnIndex resolve(String setting, int items, int efSearch) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "exact" -> EXACT;
            case "hnsw" -> new KnnIndex(true, efSearch);
            case "auto" -> items >= AUTO_FROM_ITEMS ? new KnnIndex(true, efSearch) : EXACT;
            default -> throw new IllegalArgumentException("knnIndex must be auto, exact or hnsw, got '"
                    + (setting.length() > 40 ? setting.substring(0, 40) + "..." : setting) + "'");
        };
    }

    /** @return a cache key part that tells graphs of different indexes apart. */
    public String key() {
        return approximate ? "hnsw" + efSearch : "exact";
    }

    @Override
    public String toString() {
        return approximate ? "HNSW (Lucene, M=" + HnswKnn.MAX_CONN + ", efConstruction=" + HnswKnn.BEAM_WIDTH + ", efSearch=" + efSearch + ")"
                : "exact";
    }
}
