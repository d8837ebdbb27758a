/**
 * Ranking evaluation with MMRec's metric definitions: a Tribuo {@code Evaluator} doing
 * full ranking with training items excluded, bounded-heap top-K selection, and the metric
 * accumulator (Recall, NDCG, Precision, MAP, HitRate at any cut-offs).
 */
package org.crane.eval;
