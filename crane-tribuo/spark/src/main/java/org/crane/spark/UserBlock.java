package org.crane.spark;

import java.io.Serializable;

/**
 * A block of users: their dense indices, representations (row-major, one row of width d each) and
 * sorted training items.
 * @param users dense user indices.
 * @param embeddings users.length x d representations.
 * @param seen per user, the training items to leave out, sorted ascending.
 */
record UserBlock(int[] users, float[] embeddings, int[][] seen) implements Serializable {
}
