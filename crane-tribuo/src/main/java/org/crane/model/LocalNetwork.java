package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training graph of a local step, whose behaviour view costs what the batch's neighbourhoods
 * cost instead of what the whole user-item graph costs: CRANE's objective on one batch with the
 * behaviour view computed only for the batch's distinct users and items, its deeper layers read from
 * historical embeddings (GNNAutoScale, Fey et al., ICML 2021). Same parameters and loss terms as
 * {@link CraneNetwork}; the semantic view is the exact one (Z of every item, the item-item graph, the
 * batch users' profiles), since a batch's item neighbourhoods reach almost every item of a kNN graph:
 * computed in the graph, or read at the local rows from a view computed at the current semantic
 * parameters ({@code cachedSemantic}, {@link SemanticNetwork}).
 * <ul>
 *   <li>local users: the batch's distinct users ({@link GraphInputs#CL_USERS}); {@link GraphInputs#USER_SLOTS}
 *       places each triple's user among them;</li>
 *   <li>local items: the batch's distinct positive then negative items ({@link GraphInputs#LOCAL_ITEMS});
 *       {@link GraphInputs#POS}, {@link GraphInputs#NEG} and {@link GraphInputs#CL_ITEMS} hold positions
 *       among them;</li>
 *   <li>behaviour view {@code Ebar_b = (E_0[b] + (Ahat E_0)[b] + C[b]) / (L+1)}: the first layer
 *       {@code (Ahat E_0)[b]} is an input ({@link GraphInputs#USER_FIRST_LAYER}, {@link GraphInputs#ITEM_FIRST_LAYER})
 *       computed from the local rows of Ahat over the current ID embeddings, and the graph outputs its
 *       gradient, which the caller carries back to the neighbours' ID embeddings; the deeper layers
 *       {@code C = sum_{l>=2} Ahat^l E_0} read from {@link GraphInputs#BEHAVIOUR_CACHE}, which
 *       {@link #historyGraph} computes at each refresh.</li>
 * </ul>
 * With a history computed at the current parameters the loss is the exact network's; the ID
 * embeddings' gradients then lack the deeper layers' terms (their paths run through the history).
 * With L_ui at most 1 there is no history and the step is the exact one.
 */
public final class LocalNetwork {
    /** Output name of the history graph: {@code sum_{l=2..L} Ahat^l E_0} for every node ((M+N) x d). */
    public static final String HISTORY = "history";

    private final Program p = new Program();
    private final ParameterTable table = new ParameterTable(p);
    private final Map<String, Tensor> projected = new LinkedHashMap<>();
    /** Inputs computed outside the graph whose gradients it outputs (first layer, cached semantic view). */
    private final Map<String, Tensor> dataInputs = new LinkedHashMap<>();
    private final Tensor loss;
    private final Tensor bpr;
    private final Tensor cl;

    /**
     * @param cfg the configuration (that of the exact network).
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (at least one).
     * @param offloadProjection the projections are computed outside the graph, as in the exact
     *        network's layout ({@link CraneNetwork.Layout#offloadProjection()}).
     * @param parts the encoder and loss terms (those of the exact network).
     * @param cachedSemantic read the semantic view of the local items and users from inputs
     *        ({@link GraphInputs#SEMANTIC_ITEMS}, {@link GraphInputs#SEMANTIC_USERS}) and output their
     *        gradients instead of computing it: the graph then has the ID embeddings as its only
     *        parameters, and {@link SemanticNetwork} computes the view and its parameters' gradients.
     */
    public LocalNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims, boolean offloadProjection, CraneNetwork.Parts parts,
                        boolean cachedSemantic) {
        if (modalityDims.length == 0) {
            throw new IllegalArgumentException("Local steps need item modalities");
        }
        int d = cfg.embeddingSize();
        int k = modalityDims.length;
        int layers = cfg.userItemLayers();
        Tensor eu = table.create("EU", ParameterRole.USER_EMBEDDING, numUsers, d);
        Tensor ei = table.create("EI", ParameterRole.ITEM_EMBEDDING, numItems, d);
        Tensor users = p.input(GraphInputs.CL_USERS, DType.INT64, -1);
        Tensor items = p.input(GraphInputs.LOCAL_ITEMS, DType.INT64, -1);
        Tensor eu0 = eu.gatherRows(users);
        Tensor ei0 = ei.gatherRows(items);

        // behaviour view of the local nodes
        Tensor eBarU = eu0;
        Tensor eBarI = ei0;
        if (layers >= 1) {
            // the first layer, computed outside the graph from the local rows of Ahat; its gradients are outputs
            Tensor firstU = p.input(GraphInputs.USER_FIRST_LAYER, DType.FLOAT, -1, d);
            Tensor firstI = p.input(GraphInputs.ITEM_FIRST_LAYER, DType.FLOAT, -1, d);
            dataInputs.put(GraphInputs.USER_FIRST_LAYER, firstU);
            dataInputs.put(GraphInputs.ITEM_FIRST_LAYER, firstI);
            eBarU = eBarU.add(firstU);
            eBarI = eBarI.add(firstI);
        }
        if (layers >= 2) {
            Tensor cache = p.input(GraphInputs.BEHAVIOUR_CACHE, DType.FLOAT, numUsers + numItems, d);
            eBarU = eBarU.add(cache.gatherRows(users));
            eBarI = eBarI.add(cache.gatherRows(p.input(GraphInputs.ITEM_NODES, DType.INT64, -1)));
        }
        if (layers >= 1) {
            eBarU = eBarU.mul(1f / (layers + 1));
            eBarI = eBarI.mul(1f / (layers + 1));
        }
        boolean residual = cfg.coupling() != CraneConfig.Coupling.JOINT;
        Tensor fU = residual ? eBarU.stopGradient() : eBarU;
        Tensor fI = residual ? eBarI.stopGradient() : eBarI;
        Tensor cU = cfg.coupling() == CraneConfig.Coupling.RESIDUAL ? fU : eBarU;
        Tensor cI = cfg.coupling() == CraneConfig.Coupling.RESIDUAL ? fI : eBarI;

        boolean itemGraph = cfg.itemGraphLayers() > 0;
        SparseInput s = itemGraph && (cfg.itemGraphIds() || !cachedSemantic)
                ? SparseInput.scaled(p, GraphInputs.ITEM_GRAPH, numItems, (long) k * numItems) : null;
        Tensor sIds = null;
        if (itemGraph && cfg.itemGraphIds()) {
            sIds = CraneNetwork.propagate(s, residual ? ei.stopGradient() : ei, k, cfg.itemGraphLayers()).gatherRows(items);
        }
        Tensor hILocal;
        Tensor hUBatch = null;
        if (cachedSemantic) {
            // the semantic view as inputs read from the cache, their gradients as outputs
            hILocal = p.input(GraphInputs.SEMANTIC_ITEMS, DType.FLOAT, -1, d);
            dataInputs.put(GraphInputs.SEMANTIC_ITEMS, hILocal);
            if (cfg.userProfiles()) {
                hUBatch = p.input(GraphInputs.SEMANTIC_USERS, DType.FLOAT, -1, d);
                dataInputs.put(GraphInputs.SEMANTIC_USERS, hUBatch);
            }
        } else {
            // the exact semantic view, read at the local rows
            Tensor hI = new SemanticView(p, table, cfg, parts.encoder(), numItems, modalityDims, offloadProjection, projected).build();
            if (itemGraph) {
                hI = CraneNetwork.propagate(s, hI, k, cfg.itemGraphLayers());
            }
            hILocal = hI.gatherRows(items);
            if (cfg.userProfiles()) {
                hUBatch = SparseInput.valued(p, GraphInputs.BATCH_USER_MEAN, users.rowsOf()).times(hI);
            }
        }
        Tensor us = p.input(GraphInputs.USER_SLOTS, DType.INT64, -1);
        Tensor profileUsers = null;
        // as in the exact network: without profiles the fused user is the behaviour view itself
        Tensor bu = (cfg.userProfiles() ? fU : eBarU).gatherRows(us);
        if (cfg.userProfiles()) {
            profileUsers = p.input(GraphInputs.LOCAL_USER_SLOTS, DType.INT64, -1);
            bu = bu.add(hUBatch.gatherRows(us));
        }
        Tensor eI = fI.add(hILocal);
        if (sIds != null) {
            eI = eI.add(sIds);
        }
        Tensor i = p.input(GraphInputs.POS, DType.INT64, -1);
        Tensor j = p.input(GraphInputs.NEG, DType.INT64, -1);
        BatchViews views = new BatchViews(cfg, p, us, i, j, eu0, ei0, eBarU, eBarI, bu, eI, cU, cI, hILocal, null, hUBatch, profileUsers,
                residual);
        LossTerms.Objective objective = LossTerms.objective(parts.terms(), views);
        this.loss = objective.loss();
        this.bpr = objective.bpr();
        this.cl = objective.cl();
    }

    /** @return parameter name to shape, in creation order (the exact network's, by name). */
    public Map<String, long[]> parameterShapes() {
        return table.shapes();
    }

    /**
     * @return the training graph: loss, bpr, cl and {@code grad:<name>} for every parameter, offloaded
     *         projection, first-layer input and (with a cached semantic view) semantic input.
     */
    public GraphSpec trainingGraph() {
        Map<String, Tensor> extra = new LinkedHashMap<>(projected);
        extra.putAll(dataInputs);
        return CraneNetwork.trainingGraph("crane_local_train", table, extra, loss, bpr, cl);
    }

    /**
     * The graph that refreshes {@link GraphInputs#BEHAVIOUR_CACHE}: {@code sum_{l=2..L} Ahat^l [EU; EI]}.
     * @param cfg the configuration (L_ui at least 2).
     * @param numUsers M.
     * @param numItems N.
     * @return inputs EU, EI and the adjacency {@link GraphInputs#ADJ}; output {@link #HISTORY}.
     */
    public static GraphSpec historyGraph(CraneConfig cfg, int numUsers, int numItems) {
        if (cfg.userItemLayers() < 2) {
            throw new IllegalArgumentException("The history holds layers 2 to L_ui; L_ui is " + cfg.userItemLayers());
        }
        Program p = new Program();
        int d = cfg.embeddingSize();
        Tensor e = p.concat(0, List.of(p.input("EU", DType.FLOAT, numUsers, d), p.input("EI", DType.FLOAT, numItems, d)));
        SparseInput adj = SparseInput.scaled(p, GraphInputs.ADJ, numUsers + numItems, numUsers + numItems);
        e = adj.times(e);
        Tensor sum = null;
        for (int l = 2; l <= cfg.userItemLayers(); l++) {
            e = adj.times(e);
            sum = sum == null ? e : sum.add(e);
        }
        return OnnxGraphWriter.write("crane_history", Map.of(HISTORY, sum.identity()), Map.of());
    }
}
