package org.crane.model;

/** Names of the graph inputs the network reads besides its parameters. */
public final class GraphInputs {
    private GraphInputs() {
    }

    /** Raw features of modality k: {@code X<k>}. */
    public static String features(int k) {
        return "X" + k;
    }

    /** Prefix of the user-item adjacency COO inputs ({@code _rows}, {@code _cols}, {@code _vals}). */
    public static final String ADJ = "adj";
    /** Prefix of the item-item semantic graph COO inputs. */
    public static final String ITEM_GRAPH = "S";
    /** Prefix of the user-mean matrix COO inputs. */
    public static final String USER_MEAN = "R";
    /** Batch users. */
    public static final String USERS = "u";
    /** Batch positive items. */
    public static final String POS = "i";
    /** Batch negative items. */
    public static final String NEG = "j";
    /** The distinct users of the batch (contrastive loss). */
    public static final String CL_USERS = "cu";
    /** The distinct positive items of the batch (contrastive loss). */
    public static final String CL_ITEMS = "ci";
}
