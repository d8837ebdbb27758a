/**
 * Evaluation beyond the Tribuo evaluator of {@link org.crane}: the popularity baseline, the cold- and
 * warm-item split of the test users ({@link org.crane.eval.ColdItems}), and
 * {@link org.crane.eval.GraphAgreement}, which checks an item-item graph against held-out interactions.
 */
package org.crane.eval;
