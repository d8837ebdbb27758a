package org.crane.graph;

import java.util.Locale;

/**
 * How an item kNN graph is found: by exact similarity products ({@link KnnGraphBuilder}), by 8-bit
 * products with exact re-ranking ({@link QuantizedKnn}), or by approximate search ({@link HnswKnn}).
 * @param method the method.
 * @param efSearch candidates per HNSW search (HNSW only).
 * @param candidates estimates re-ranked per item (8-bit products only).
 */
public record KnnIndex(Method method, int efSearch, int candidates) {
    /** The ways to find the graph. */
    public enum Method {
        /** Every similarity in float products. */
        EXACT,
        /** Every similarity estimated by 8-bit products, each item's best estimates re-ranked exactly. */
        INT8,
        /** Lucene's HNSW index, searched once per item. */
        HNSW
    }

    /**
     * Catalogues of at least this many items take the 8-bit products under {@code auto}. Measured on 2
     * cores (docs/large-catalogues.md): at 18,357 items x (4096 + 384) features they take about half the
     * exact products' time (3.45 against 7.19 s) and find 99.94 % of the exact neighbours; below this size
     * the exact graph costs a few seconds and stays the default.
     */
    public static final int INT8_FROM_ITEMS = 20_000;
    /**
     * Catalogues of at least this many items take the HNSW search under {@code auto}: both exhaustive
     * methods grow as n^2 (exact: 2.4 s at 7,050 items, 63 to 183 s at 63,001; 8-bit: about 2.5 times
     * faster), HNSW's build and searches as n log n (8 to 11 ms per item on 2 cores). This is where the
     * exact products met HNSW; where the 8-bit products meet it was not measured (beyond this machine's memory).
     */
    public static final int AUTO_FROM_ITEMS = 300_000;
    /**
     * Estimates re-ranked per item by the 8-bit products, as a multiple of k: 1.5 k found 99.88 % of the exact
     * neighbours of the 63,001-item synthetic features and 99.98-99.99 % of lfm2k's real ones; fewer candidates
     * mean fewer heap updates and exact products.
     */
    public static final double CANDIDATES_PER_NEIGHBOUR = 1.5;
    /** The exact graph. */
    public static final KnnIndex EXACT = new KnnIndex(Method.EXACT, 0, 0);

    /** Checks the settings of the method. */
    public KnnIndex {
        if (method == null) {
            throw new IllegalArgumentException("a kNN method is required");
        }
        if (method == Method.HNSW && efSearch < 1) {
            throw new IllegalArgumentException("efSearch must be >= 1, got " + efSearch);
        }
        if (method == Method.INT8 && candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
        }
    }

    /**
     * @param efSearch candidates per search.
     * @return the HNSW search.
     */
    public static KnnIndex hnsw(int efSearch) {
        return new KnnIndex(Method.HNSW, efSearch, 0);
    }

    /**
     * @param k neighbours per item (self included).
     * @return the 8-bit products, re-ranking {@link #CANDIDATES_PER_NEIGHBOUR} k estimates per item (at least k).
     */
    public static KnnIndex int8(int k) {
        return new KnnIndex(Method.INT8, 0, Math.max(Math.max(1, k), (int) Math.ceil(CANDIDATES_PER_NEIGHBOUR * k)));
    }

    /**
     * @param setting {@code auto}, {@code exact}, {@code int8} or {@code hnsw} (any case).
     * @param items the catalogue size.
     * @param k neighbours per item.
     * @param efSearch candidates per HNSW search.
     * @return the index: {@code auto} is exact below {@link #INT8_FROM_ITEMS} items, 8-bit products from
     *         there, HNSW from {@link #AUTO_FROM_ITEMS} items.
     * @throws IllegalArgumentException for another setting.
     */
    public static KnnIndex resolve(String setting, int items, int k, int efSearch) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "exact" -> EXACT;
            case "hnsw" -> hnsw(efSearch);
            case "int8" -> int8(k);
            case "auto" -> items >= AUTO_FROM_ITEMS ? hnsw(efSearch) : items >= INT8_FROM_ITEMS ? int8(k) : EXACT;
            default -> throw new IllegalArgumentException("knnIndex must be auto, exact, int8 or hnsw, got '"
                    + (setting.length() > 40 ? setting.substring(0, 40) + "..." : setting) + "'");
        };
    }

    /** @return whether the graph may differ from the exact one. */
    public boolean approximate() {
        return method != Method.EXACT;
    }

    /** @return a cache key part that tells graphs of different indexes apart. */
    public String key() {
        return switch (method) {
            case EXACT -> "exact";
            case INT8 -> "int8c" + candidates;
            case HNSW -> "hnsw" + efSearch;
        };
    }

    @Override
    public String toString() {
        return switch (method) {
            case EXACT -> "exact";
            case INT8 -> "8-bit products, " + candidates + " candidates re-ranked exactly";
            case HNSW -> "HNSW (Lucene, M=" + HnswKnn.MAX_CONN + ", efConstruction=" + HnswKnn.BEAM_WIDTH + ", efSearch=" + efSearch + ")";
        };
    }
}
