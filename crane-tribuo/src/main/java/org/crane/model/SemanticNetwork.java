package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The semantic view on its own, for training with cached semantic views ({@link LocalNetwork} with
 * {@code cachedSemantic}): the items' semantic view {@code HI = S^L_ii Z} and every user's profile
 * {@code HU = D_U^-1 R HI}, as functions of the semantic parameters alone.
 * <ul>
 *   <li>{@link #forwardGraph()} computes both for every item and user (the cache the steps read);</li>
 *   <li>{@link #trainingGraph()} back-propagates given gradients {@code G_I = dL/dHI} and
 *       {@code G_U = dL/dHU}, accumulated over the steps that read the cache, to the semantic
 *       parameters: its loss is {@code sum(HI * G_I) + sum(HU * G_U)}, whose gradient with respect to
 *       each parameter is the chain rule's {@code (dHI/dtheta)^T G_I + (dHU/dtheta)^T G_U}.</li>
 * </ul>
 * Same parameter names and shapes as {@link CraneNetwork}'s semantic part; the ID embeddings are not in it.
 */
public final class SemanticNetwork {
    /** Output of the forward graph: HI, every item's semantic view (N x d). */
    public static final String ITEMS = "semantic_items";
    /** Output of the forward graph: HU, every user's profile (M x d), present with user profiles. */
    public static final String USERS = "semantic_users";
    /** Input of the training graph: dL/dHI (N x d). */
    public static final String ITEMS_GRAD = "g_semantic_items";
    /** Input of the training graph: dL/dHU (M x d), present with user profiles. */
    public static final String USERS_GRAD = "g_semantic_users";

    private final Program p = new Program();
    private final ParameterTable table = new ParameterTable(p);
    private final Map<String, Tensor> projected = new LinkedHashMap<>();
    private final Tensor items;
    private final Tensor users;
    private final int numUsers;
    private final int numItems;
    private final int d;

    /**
     * @param cfg the configuration.
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (at least one).
     * @param offloadProjection the projections are inputs computed outside the graph ({@link CraneNetwork.Layout}).
     * @param encoder the modality encoder.
     */
    public SemanticNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims, boolean offloadProjection,
                           ModalityEncoder encoder) {
        this(cfg, numUsers, numItems, modalityDims, offloadProjection, encoder, cfg.userProfiles());
    }

    /**
     * @param cfg the configuration.
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (at least one).
     * @param offloadProjection the projections are inputs computed outside the graph ({@link CraneNetwork.Layout}).
     * @param encoder the modality encoder.
     * @param profilesInGraph whether the graphs compute HU (with user profiles); when not, the caller
     *        computes {@code HU = D_U^-1 R HI} from {@link #ITEMS} and folds {@code G_U} into
     *        {@code G_I = G_I + R^T D_U^-1 G_U} (the same gradient), and the graphs have no user side.
     */
    public SemanticNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims, boolean offloadProjection,
                           ModalityEncoder encoder, boolean profilesInGraph) {
        if (modalityDims.length == 0) {
            throw new IllegalArgumentException("A semantic view needs item modalities");
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.d = cfg.embeddingSize();
        int k = modalityDims.length;
        Tensor h = new SemanticView(p, table, cfg, encoder, numItems, modalityDims, offloadProjection, projected).build();
        if (cfg.itemGraphLayers() > 0) {
            h = CraneNetwork.propagate(SparseInput.scaled(p, GraphInputs.ITEM_GRAPH, numItems, (long) k * numItems), h, k,
                    cfg.itemGraphLayers());
        }
        this.items = h;
        this.users = profilesInGraph && cfg.userProfiles() ? SparseInput.valued(p, GraphInputs.USER_MEAN, numUsers).times(h) : null;
    }

    /** @return the graph of {@link #ITEMS} and {@link #USERS} from the parameters, features, item graph and R. */
    public GraphSpec forwardGraph() {
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put(ITEMS, items.identity());
        if (users != null) {
            outs.put(USERS, users.identity());
        }
        return OnnxGraphWriter.write("crane_semantic", outs, Map.of());
    }

    /**
     * @return the graph with inputs {@link #ITEMS_GRAD} (and {@link #USERS_GRAD}); outputs
     *         {@link CraneNetwork#LOSS} (the surrogate) and {@code grad:<name>} for every semantic
     *         parameter in the graph and every offloaded projection.
     */
    public GraphSpec trainingGraph() {
        Tensor loss = items.mul(p.input(ITEMS_GRAD, DType.FLOAT, numItems, d)).sumAll();
        if (users != null) {
            loss = loss.add(users.mul(p.input(USERS_GRAD, DType.FLOAT, numUsers, d)).sumAll());
        }
        return CraneNetwork.gradientGraph("crane_semantic_train", Map.of(CraneNetwork.LOSS, loss), table, projected);
    }
}
