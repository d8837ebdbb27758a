package org.crane;

/**
 * One recommended item.
 * @param userId the external user id.
 * @param rank 1 for the best item.
 * @param itemId the external item id.
 * @param score the model's score (a dot product of user and item representations).
 */
public record Recommendation(String userId, int rank, String itemId, float score) {
}
