package org.crane.model;

import org.crane.onnx.Autodiff;
import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CRANE network written once as a differentiable program, from which both the training graph
 * (forward, loss and all gradients) and the embedding graph (final user and item representations)
 * are emitted. Symbols follow crane-method.md:
 * <ul>
 *   <li>{@code X_m = Xraw_m W_m + b_m}: modality projections;</li>
 *   <li>R recursions of cross-modal attention over T tokens per item: {@code J = [X_1..X_K] W_J + b_J},
 *       {@code C_m = tanh(X_m A_m J^T / sqrt(d/T))}, {@code H_m = ReLU(X_m B_m + softmax(C_m) J G_m)},
 *       {@code X_m += flatten(H_m) O_m}; then {@code Z = [X_1..X_K] W_Z + b_Z};</li>
 *   <li>semantic view {@code HI = S^L_ii Z}, user profiles {@code HU = D_U^-1 R HI} (in training, only
 *       the batch's users' rows: see {@link Layout});</li>
 *   <li>behaviour view {@code Ebar = mean(E_0..E_L)}, {@code E_l+1 = Ahat E_l}, {@code E_0 = [EU; EI]};</li>
 *   <li>fusion {@code e_u = Ebar_u + HU_u}, {@code e_i = Ebar_i + HI_i} (plus {@code S^L_ii EI_i} with
 *       {@link CraneConfig#itemGraphIds()}); score = dot product;</li>
 *   <li>loss = BPR + lambda_cl (InfoNCE users + InfoNCE items) + lambda_reg L2(batch ego embeddings);
 *       InfoNCE runs over the batch's distinct users and distinct positive items (cosine / tau,
 *       in-batch negatives), so that no id is its own negative.</li>
 * </ul>
 */
public final class CraneNetwork {
    /** Output name of the total loss. */
    public static final String LOSS = "loss";
    /** Output name of the BPR part. */
    public static final String BPR = "bpr";
    /** Output name of the contrastive part (unweighted). */
    public static final String CL = "cl";
    /** Output name of the final user representations. */
    public static final String USER_EMB = "user_emb";
    /** Output name of the final item representations. */
    public static final String ITEM_EMB = "item_emb";
    /** Embedding-graph output: the users' behaviour view {@code Ebar_u} alone (M x d). */
    public static final String USER_BEHAVIOUR = "user_behaviour";
    /** Embedding-graph output: the items' behaviour view {@code Ebar_i} alone (N x d). */
    public static final String ITEM_BEHAVIOUR = "item_behaviour";
    /** Embedding-graph output: the items' modality representation Z (N x d), present with modalities. */
    public static final String ITEM_Z = "item_z";
    /** Output of {@link #embeddingGraph(boolean)} on request: HI, the items' semantic view after the item-item graph. */
    public static final String ITEM_SEMANTIC = "item_semantic";

    private final CraneConfig cfg;
    private final int numUsers;
    private final int numItems;
    private final int[] modalityDims;

    private final ModalityEncoder encoder;
    private final Layout layout;
    private final Map<String, Tensor> projected = new LinkedHashMap<>();
    private final Program p = new Program();
    private final ParameterTable table = new ParameterTable(p);
    private final Tensor eU;
    private Tensor z;
    /** HI, the items' semantic view (null without modalities). */
    private Tensor hISemantic;
    private final Tensor eI;
    private final Tensor eBarU;
    private final Tensor eBarI;
    private final Tensor loss;
    private final Tensor bpr;
    private final Tensor cl;

    /**
     * @param cfg hyper-parameters.
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (empty for LightGCN).
     */
    public CraneNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims) {
        this(cfg, numUsers, numItems, modalityDims, Layout.INLINE);
    }

    /**
     * How the training graph is laid out; the maths is the same in every layout.
     * @param offloadProjection compute the modality projections {@code X_m = Xraw_m W_m + b_m} in
     *        graphs of their own ({@link CraneNetwork#projectionForwardGraph(int...)}, {@link CraneNetwork#projectionBackwardGraph(int...)}):
     *        the training graph then takes {@code X_m} as inputs and outputs their gradients. The
     *        dense projections, the largest cost on Baby-sized features, can then use every
     *        intra-op thread while the sparse part runs with one (see OrtEngine).
     * @param batchProfiles compute the user profiles {@code HU = D_U^-1 R HI} only for the batch's
     *        distinct users (inputs {@link GraphInputs#BATCH_USER_MEAN} and
     *        {@link GraphInputs#USER_SLOTS}) instead of for every user; the loss reads no others.
     */
    public record Layout(boolean offloadProjection, boolean batchProfiles) {
        /** Everything in the training graph, profiles of every user: the plain reading of the maths. */
        public static final Layout INLINE = new Layout(false, false);
    }

    /**
     * @param cfg the configuration.
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (empty for LightGCN).
     * @param layout how the training graph is laid out.
     */
    public CraneNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims, Layout layout) {
        this(cfg, numUsers, numItems, modalityDims, layout, Parts.DEFAULT);
    }

    /**
     * The replaceable parts of the network.
     * @param encoder how each modality's raw features are encoded.
     * @param terms the objective's terms, added in this order (it must include {@link LossTerms#FUSED_BPR}).
     */
    public record Parts(ModalityEncoder encoder, List<LossTerm> terms) {
        /** CRANE's: linear projections and {@link LossTerms#defaults()}. */
        public static final Parts DEFAULT = new Parts(ModalityEncoder.LINEAR, LossTerms.defaults());
    }

    /**
     * @param cfg the configuration.
     * @param numUsers M.
     * @param numItems N.
     * @param modalityDims D_m of each modality (empty for LightGCN).
     * @param layout how the training graph is laid out.
     * @param parts the encoder and the loss terms.
     */
    public CraneNetwork(CraneConfig cfg, int numUsers, int numItems, int[] modalityDims, Layout layout, Parts parts) {
        this.layout = layout;
        this.encoder = parts.encoder();
        List<LossTerm> terms = parts.terms();
        this.cfg = cfg;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.modalityDims = modalityDims.clone();
        int d = cfg.embeddingSize();
        int k = modalityDims.length;

        // behaviour view
        Tensor eu0 = table.create("EU", ParameterRole.USER_EMBEDDING, numUsers, d);
        Tensor ei0 = table.create("EI", ParameterRole.ITEM_EMBEDDING, numItems, d);
        SparseInput adj = SparseInput.scaled(p, GraphInputs.ADJ, numUsers + numItems, numUsers + numItems);
        Tensor e = p.concat(0, List.of(eu0, ei0));
        Tensor sum = e;
        for (int l = 0; l < cfg.userItemLayers(); l++) {
            e = adj.times(e);
            sum = sum.add(e);
        }
        Tensor eBar = cfg.userItemLayers() == 0 ? sum : sum.mul(1f / (cfg.userItemLayers() + 1));
        Tensor eBarU = eBar.slice(0, 0, numUsers);
        Tensor eBarI = eBar.slice(0, numUsers, numUsers + numItems);
        this.eBarU = eBarU;
        this.eBarI = eBarI;
        // RESIDUAL: the behaviour view learns from its own BPR loss only (it is LightGCN); the fused
        // score and the contrastive loss see it as a constant and train the semantic view alone
        boolean residual = k > 0 && cfg.coupling() != CraneConfig.Coupling.JOINT;
        Tensor fU = residual ? eBarU.stopGradient() : eBarU;
        Tensor fI = residual ? eBarI.stopGradient() : eBarI;
        // the behaviour side of the contrastive loss
        Tensor cU = cfg.coupling() == CraneConfig.Coupling.RESIDUAL ? fU : eBarU;
        Tensor cI = cfg.coupling() == CraneConfig.Coupling.RESIDUAL ? fI : eBarI;

        // semantic view
        Tensor hI = null;
        Tensor hU = null;
        Tensor sIds = null;
        if (k > 0) {
            Tensor z = new SemanticView(p, table, cfg, encoder, numItems, modalityDims, layout.offloadProjection(), projected).build();
            this.z = z;
            hI = z;
            if (cfg.itemGraphLayers() > 0) {
                // S = [A_1 .. A_K] diag(w), one binary block per modality (SemanticGraph.stack)
                SparseInput s = SparseInput.scaled(p, GraphInputs.ITEM_GRAPH, numItems, (long) k * numItems);
                hI = propagate(s, hI, k, cfg.itemGraphLayers());
                if (cfg.itemGraphIds()) {
                    sIds = propagate(s, residual ? ei0.stopGradient() : ei0, k, cfg.itemGraphLayers());
                }
            }
            if (cfg.userProfiles()) {
                hU = SparseInput.valued(p, GraphInputs.USER_MEAN, numUsers).times(hI);
            }
        }
        this.hISemantic = hI;
        this.eU = hU == null ? eBarU.identity() : fU.add(hU);
        Tensor eIFused = hI == null ? eBarI.identity() : fI.add(hI);
        this.eI = sIds == null ? eIFused : eIFused.add(sIds);

        // objective on a batch of (u, i, j) triples
        Tensor u = p.input(GraphInputs.USERS, DType.INT64, -1);
        Tensor i = p.input(GraphInputs.POS, DType.INT64, -1);
        Tensor j = p.input(GraphInputs.NEG, DType.INT64, -1);
        Tensor bu;
        Tensor cu = null;
        Tensor hUBatch = null;
        if (hU != null && layout.batchProfiles()) {
            // the loss reads the profiles of the batch's distinct users only: R's rows for them
            cu = p.input(GraphInputs.CL_USERS, DType.INT64, -1);
            hUBatch = SparseInput.valued(p, GraphInputs.BATCH_USER_MEAN, cu.rowsOf()).times(hI);
            bu = fU.gatherRows(u).add(hUBatch.gatherRows(p.input(GraphInputs.USER_SLOTS, DType.INT64, -1)));
        } else {
            bu = eU.gatherRows(u);
        }
        BatchViews views = new BatchViews(cfg, p, u, i, j, eu0, ei0, eBarU, eBarI, bu, eI, cU, cI, hI, hU, hUBatch, cu, residual);
        LossTerms.Objective objective = LossTerms.objective(terms, views);
        this.loss = objective.loss();
        this.bpr = objective.bpr();
        this.cl = objective.cl();
    }

    /**
     * {@code S^L h}: L layers over the stacked item-item graph (k copies of h, one per modality block).
     * @param s the stacked graph (N x k N).
     * @param h item rows (N x d).
     * @param k the number of modality blocks.
     * @param layers L.
     * @return the propagated rows.
     */
    static Tensor propagate(SparseInput s, Tensor h, int k, int layers) {
        for (int l = 0; l < layers; l++) {
            h = s.times(k == 1 ? h : h.program().concat(0, java.util.Collections.nCopies(k, h)));
        }
        return h;
    }

    /**
     * @param name a parameter's name.
     * @return what it is for.
     * @throws IllegalArgumentException when the network has no such parameter.
     */
    public ParameterRole role(String name) {
        ParameterRole r = table.roles().get(name);
        if (r == null) {
            throw new IllegalArgumentException("The network has no parameter '" + name + "'");
        }
        return r;
    }

    /** @return parameter name to shape, in creation order. */
    public Map<String, long[]> parameterShapes() {
        return table.shapes();
    }

    /**
     * Xavier-uniform matrices, zero biases, from one seeded stream ({@link ParameterInit}); with
     * {@code zeroSemanticOutput} the output projection W_Z starts at zero.
     * @param rng the random stream.
     * @param zeroSemanticOutput start W_Z at zero.
     * @return parameter name to initial values.
     */
    public Map<String, float[]> initialValues(SplittableRandom rng, boolean zeroSemanticOutput) {
        java.util.Set<String> zero = new java.util.HashSet<>();
        if (zeroSemanticOutput) {
            table.roles().forEach((name, role) -> {
                if (role == ParameterRole.SEMANTIC_OUTPUT) {
                    zero.add(name);
                }
            });
        }
        return ParameterInit.xavier(table.shapes(), rng, zero);
    }

    /**
     * Xavier-uniform matrices and zero biases.
     * @param rng the random stream.
     * @return parameter name to initial values.
     */
    public Map<String, float[]> initialValues(SplittableRandom rng) {
        return initialValues(rng, false);
    }

    /** @return the training graph: loss, bpr, cl and {@code grad:<param>} for every parameter. */
    public GraphSpec trainingGraph() {
        return trainingGraph("crane_train", table, projected, loss, bpr, cl);
    }

    /**
     * A training graph: the objective's outputs and {@code grad:<name>} for every parameter and offloaded projection.
     * @param name the graph's name.
     * @param table the parameters.
     * @param projected the offloaded projections' inputs by name (empty without offloading).
     * @param loss the total loss.
     * @param bpr the fused BPR term.
     * @param cl the contrastive term.
     * @return the graph.
     */
    static GraphSpec trainingGraph(String name, ParameterTable table, Map<String, Tensor> projected, Tensor loss, Tensor bpr, Tensor cl) {
        Map<String, Tensor> scalars = new LinkedHashMap<>();
        scalars.put(LOSS, loss);
        scalars.put(BPR, bpr);
        scalars.put(CL, cl);
        return gradientGraph(name, scalars, table, projected);
    }

    /**
     * A graph of some scalars and {@code grad:<name>} of the first one ({@link #LOSS}) for every parameter and extra input.
     * @param name the graph's name.
     * @param scalars output name to value, the loss first.
     * @param table the parameters.
     * @param extra other inputs to differentiate by name (offloaded projections, values computed outside the graph).
     * @return the graph.
     */
    static GraphSpec gradientGraph(String name, Map<String, Tensor> scalars, ParameterTable table, Map<String, Tensor> extra) {
        Map<String, Tensor> wrt = new LinkedHashMap<>(table.inputs());
        wrt.putAll(extra);
        Map<Tensor, Tensor> grads = Autodiff.gradients(scalars.values().iterator().next(), new ArrayList<>(wrt.values()));
        Map<String, Tensor> outs = new LinkedHashMap<>(scalars);
        wrt.forEach((input, value) -> outs.put(org.crane.engine.TrainingStep.GRAD_PREFIX + input, grads.get(value)));
        return OnnxGraphWriter.write(name, outs, Map.of());
    }

    /**
     * @param modalities modality indices.
     * @return the offloaded projections of those modalities: names and shapes (empty unless offloading).
     */
    public Map<String, long[]> offloadedValues(int... modalities) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int k : modalities) {
            String name = GraphInputs.projected(k);
            if (projected.containsKey(name)) {
                m.put(name, new long[]{numItems, cfg.embeddingSize()});
            }
        }
        return m;
    }

    /**
     * @param modalities the modalities whose projections the graph computes (indices).
     * @return {@code X_m = Xraw_m W_m + b_m} for those modalities ({@link ProjectionGraphs#forward}).
     */
    public GraphSpec projectionForwardGraph(int... modalities) {
        return ProjectionGraphs.forward(encoder, numItems, modalityDims, cfg.embeddingSize(), modalities);
    }

    /**
     * @param modalities the modalities whose projections' gradients the graph computes (indices).
     * @return the projections' weight and bias gradients ({@link ProjectionGraphs#backward}).
     */
    public GraphSpec projectionBackwardGraph(int... modalities) {
        return ProjectionGraphs.backward(encoder, numItems, modalityDims, cfg.embeddingSize(), modalities);
    }

    /** @return the embedding graph: final user and item representations. */
    public GraphSpec embeddingGraph() {
        return embeddingGraph(false);
    }

    /**
     * @param semanticItems also output {@link #ITEM_SEMANTIC} (with modalities), for a caller that
     *        adds the user profiles {@code D_U^-1 R HI} itself to a network built without them.
     * @return the embedding graph: final user and item representations.
     */
    public GraphSpec embeddingGraph(boolean semanticItems) {
        Map<String, Tensor> outs = new LinkedHashMap<>();
        if (semanticItems && hISemantic != null) {
            outs.put(ITEM_SEMANTIC, hISemantic.identity());
        }
        outs.put(USER_EMB, eU);
        outs.put(ITEM_EMB, eI);
        outs.put(USER_BEHAVIOUR, eBarU.identity());
        outs.put(ITEM_BEHAVIOUR, eBarI.identity());
        if (z != null) {
            outs.put(ITEM_Z, z.identity());
        }
        return OnnxGraphWriter.write("crane_embed", outs, Map.of());
    }

    /** @return the modality encoder. */
    public ModalityEncoder encoder() {
        return encoder;
    }

    /** @return the configuration. */
    public CraneConfig config() {
        return cfg;
    }

    /** @return M. */
    public int numUsers() {
        return numUsers;
    }

    /** @return N. */
    public int numItems() {
        return numItems;
    }
}
