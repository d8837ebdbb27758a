package org.crane;

/**
 * Something that scores every item for users given by dense index: what full-ranking evaluation
 * needs from a model. Implementations must be safe to call from several threads.
 */
public interface RankingScorer {
    /** @return the catalogue size; items are 0..numItems()-1. */
    int numItems();

    /** @return the number of known users; users are 0..numUsers()-1. */
    int numUsers();

    /**
     * @param userId an external user id.
     * @return its dense index, or -1 when unknown.
     */
    int userIndex(String userId);

    /**
     * @param itemId an external item id.
     * @return its index, or -1 when not in the catalogue. By default an item's id is its index
     *         (MMRec data: row i of every modality is item i).
     */
    default int itemIndex(String itemId) {
        try {
            int i = Integer.parseInt(itemId);
            return i >= 0 && i < numItems() ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param item an item index.
     * @return its external id (by default the index itself).
     */
    default String itemId(int item) {
        return Integer.toString(item);
    }

    /**
     * Scores all items for a block of users.
     * @param users dense user indices.
     * @param out receives {@code users.length * numItems()} scores, row-major.
     */
    void scoreUsers(int[] users, float[] out);

    /**
     * @param user a dense user index.
     * @return the items never to recommend to the user (its training items), sorted ascending.
     */
    int[] excludedItems(int user);
}
