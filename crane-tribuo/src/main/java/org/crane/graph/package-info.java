/**
 * Graphs: sparse matrices in coordinate form, the normalised user-item graph with degree-sensitive
 * edge pruning and user-mean aggregation, the blocked cosine kNN item graph (of features, or of the
 * training interactions by {@link org.crane.graph.CoInteractionScorer}), and the bounded-heap
 * top-K selection that the kNN graph and ranking evaluation share.
 */
package org.crane.graph;
