/**
 * Graphs: sparse matrices in coordinate form, the normalised user-item graph with degree-sensitive
 * edge pruning and user-mean aggregation, and the blocked cosine kNN item graph.
 */
package org.crane.graph;
