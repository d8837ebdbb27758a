/**
 * Graphs: sparse matrices in coordinate form, the normalised user-item graph with degree-sensitive
 * edge pruning and user-mean aggregation, the blocked cosine kNN item graph (exact, or approximate by
 * Lucene's HNSW), and the bounded-heap top-K selection that the kNN graph and ranking evaluation
 * share. Depends on {@code data} only.
 */
package org.crane.graph;
