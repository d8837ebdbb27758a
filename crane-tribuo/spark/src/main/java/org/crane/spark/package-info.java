/**
 * Batch recommendations of a saved CRANE model on Apache Spark: every user's (or a DataFrame of
 * users') top-K unseen items as a DataFrame {@code (user, rank, item, score)}, computed as Spark ML's
 * ALS computes {@code recommendForAllUsers}: user blocks crossed with item blocks, one dense product
 * per block pair, a top-K per user and block, and a merge per user. {@link org.crane.spark.SparkRecommender}
 * is the Java API; {@code crane spark-recommend} the command.
 */
package org.crane.spark;
