/**
 * Ranking evaluation with MMRec's metric definitions: a Tribuo {@code Evaluator} doing
 * full ranking with training items excluded (top-K by
 * {@link org.crane.graph.TopK}), and the metric accumulator (Recall, NDCG, Precision, MAP, HitRate at any cut-offs);
 * {@link org.crane.eval.GraphAgreement} checks an item-item graph against held-out interactions.
 */
package org.crane.eval;
