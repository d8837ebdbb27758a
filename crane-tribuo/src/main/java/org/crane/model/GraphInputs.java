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

    /** Local steps ({@link LocalNetwork}): the local items, global ids (int64 [F], distinct). */
    public static final String LOCAL_ITEMS = "litems";

    /**
     * Local steps ({@link LocalNetwork}): {@code sum_{l=2..L} Ahat^l E_0} of every node ((M+N) x d) as of the
     * last refresh.
     */
    public static final String BEHAVIOUR_CACHE = "hcache";
    /** Local steps: the local items' rows in the user-item graph (M + item), int64. */
    public static final String ITEM_NODES = "inodes";
    /** Local steps: the local users' rows of the first layer {@code Ahat E_0} (float [U, d], {@link #CL_USERS} order). */
    public static final String USER_FIRST_LAYER = "l1users";
    /** Local steps: the local items' rows of the first layer {@code Ahat E_0} (float [F, d], {@link #LOCAL_ITEMS} order). */
    public static final String ITEM_FIRST_LAYER = "l1items";
    /** Local steps: 0 .. (local users - 1), each local user's own row. */
    public static final String LOCAL_USER_SLOTS = "uslots";

    /**
     * Local steps over a cached semantic view: the local items' rows of the semantic view HI
     * ({@link SemanticNetwork#ITEMS}), in the order of {@link #LOCAL_ITEMS} (float [F, d]).
     */
    public static final String SEMANTIC_ITEMS = "sitems";
    /**
     * Local steps over a cached semantic view: the local users' profiles ({@link SemanticNetwork#USERS}),
     * in the order of {@link #CL_USERS} (float [U, d]).
     */
    public static final String SEMANTIC_USERS = "susers";

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
