/**
 * Hyper-parameter search chosen on validation data: the search space ({@link org.crane.tune.SearchSpace})
 * and the tuner that trains each point with several seeds and keeps the best mean
 * ({@link org.crane.tune.CraneTuner}). Above {@code org.crane.train}.
 */
package org.crane.tune;
