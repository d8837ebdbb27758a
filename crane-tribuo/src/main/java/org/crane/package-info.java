/**
 * CRANE for Tribuo's Tribuo domain, the bottom of the library's layers above the data: the
 * {@link org.crane.ItemId} output type with its factory and output info, the data source that turns
 * interactions into Tribuo datasets ({@link org.crane.InteractionDataSource}), the one codec of the
 * {@code user=<id>} feature ({@link org.crane.UserFeature}), and the ranking evaluator the output
 * factory returns ({@link org.crane.RankingEvaluator}, MMRec's metric definitions, full ranking with
 * training items excluded). The trainer and the model are in {@link org.crane.train}.
 */
package org.crane;
