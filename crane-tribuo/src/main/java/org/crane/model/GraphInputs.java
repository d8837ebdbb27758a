package org.crane.model;

/** Names of the graph inputs the network reads besides its parameters. */
public final class GraphInputs {
    private GraphInputs() {
    }

    /** Raw features of modality k: {@code X<k>}. */
    public static String features(int k) {
        return "X" + k;
    }

    /**
     * @param m modality index.
     * @return the input name of modality m's transposed raw feature table (D_m x N), used by the
     *         projection's weight gradient.
     */
    public static String featuresTransposed(int m) {
        return "xraw_t" + m;
    }

    /**
     * @param m modality index.
     * @return the input name of modality m's projection {@code X_m} (N x d) when it is computed
     *         outside the training graph.
     */
    public static String projected(int m) {
        return "xproj" + m;
    }

    /**
     * @param m modality index.
     * @return the input name of modality m's raw features of the step's fresh items only (F x D_m), in
     *         the training graph of stale semantic views.
     */
    public static String freshFeatures(int m) {
        return "Xfresh" + m;
    }

    /**
     * @param m modality index.
     * @return the input name of the transposed fresh raw features (D_m x F).
     */
    public static String freshFeaturesTransposed(int m) {
        return "xfresh_t" + m;
    }

    /** Stale semantic views: the items whose Z the step recomputes with gradients (int64 [F], distinct). */
    public static final String FRESH_ITEMS = "fresh";
    /** Stale semantic views: the selection matrix (N x F, entry (FRESH_ITEMS[f], f) = 1) as valued COO. */
    public static final String FRESH_SELECT = "fsel";
    /** Stale semantic views: every item's Z as of the last refresh (N x d), read for the items not recomputed. */
    public static final String Z_CACHE = "zcache";

    /** Prefix of the user-item adjacency COO inputs ({@code _rows}, {@code _cols}, {@code _vals}). */
    public static final String ADJ = "adj";
    /** Prefix of the item-item semantic graph COO inputs. */
    public static final String ITEM_GRAPH = "S";
    /** Prefix of the user-mean matrix COO inputs (every user: the embedding graph). */
    public static final String USER_MEAN = "R";
    /**
     * Prefix of the COO inputs of R's rows for the batch's distinct users, row k for the k-th user
     * of {@link #CL_USERS} (the training graph needs only these users' profiles).
     */
    public static final String BATCH_USER_MEAN = "Rb";
    /** For each triple of the batch, the position of its user in {@link #CL_USERS}. */
    public static final String USER_SLOTS = "us";
    /** Batch users. */
    public static final String USERS = "u";
    /** Batch positive items. */
    public static final String POS = "i";
    /** Batch negative items. */
    public static final String NEG = "j";
    /** The distinct users of the batch, in order of first appearance (contrastive loss, profiles). */
    public static final String CL_USERS = "cu";
    /** The distinct positive items of the batch (contrastive loss). */
    public static final String CL_ITEMS = "ci";
}
