package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The semantic view's item representation Z: each modality encoded ({@link ModalityEncoder}), R
 * recursions of cross-modal attention refining each modality against the joint space over T tokens,
 * and the output projection W_Z of the concatenation.
 */
final class SemanticView {
    private final Program p;
    private final ParameterTable table;
    private final CraneConfig cfg;
    private final ModalityEncoder encoder;
    private final int numItems;
    private final int[] modalityDims;
    private final boolean offload;
    private final Map<String, Tensor> projected;

    /**
     * @param p the graph.
     * @param table the network's parameters.
     * @param cfg the configuration.
     * @param encoder the modality encoder.
     * @param numItems N.
     * @param modalityDims D_m per modality.
     * @param offload whether the encodings are inputs computed outside the graph.
     * @param projected receives those inputs by name.
     */
    SemanticView(Program p, ParameterTable table, CraneConfig cfg, ModalityEncoder encoder, int numItems, int[] modalityDims,
                 boolean offload, Map<String, Tensor> projected) {
        this.p = p;
        this.table = table;
        this.cfg = cfg;
        this.encoder = encoder;
        this.numItems = numItems;
        this.modalityDims = modalityDims;
        this.offload = offload;
        this.projected = projected;
    }

    /** @return Z, the items' semantic representation (N x d). */
    Tensor build() {
        int d = cfg.embeddingSize();
        int k = modalityDims.length;
        List<Tensor> x = new ArrayList<>();
        for (int m = 0; m < k; m++) {
            Map<String, long[]> shapes = encoder.parameters(m, modalityDims[m], d);
            if (offload) {
                shapes.forEach((name, shape) -> table.declare(name, ParameterRole.PROJECTION, shape));
                Tensor xm = p.input(GraphInputs.projected(m), DType.FLOAT, numItems, d);
                projected.put(GraphInputs.projected(m), xm);
                x.add(xm);
                continue;
            }
            Tensor raw = p.input(GraphInputs.features(m), DType.FLOAT, numItems, modalityDims[m]);
            p.transposedInput(raw, GraphInputs.featuresTransposed(m));
            Map<String, Tensor> params = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> params.put(name, table.create(name, ParameterRole.PROJECTION, shape)));
            x.add(encoder.encode(raw, params, m));
        }
        int t = cfg.tokens();
        int dt = d / t;
        float invSqrt = (float) (1 / Math.sqrt(dt));
        for (int r = 0; r < cfg.recursions(); r++) {
            String sfx = cfg.untieRecursions() ? "_r" + r : "";
            boolean create = r == 0 || cfg.untieRecursions();
            Tensor jt = (k == 1 ? x.get(0) : p.concat(1, x)).matmul(weight("WJ" + sfx, create, k * d, d))
                    .add(weight("bJ" + sfx, create, d)).reshape(numItems, t, dt);
            List<Tensor> next = new ArrayList<>();
            for (int m = 0; m < k; m++) {
                Tensor xt = x.get(m).reshape(numItems, t, dt);
                Tensor c = xt.matmul(weight("A" + m + sfx, create, dt, dt)).matmul(jt.transposeLast2()).mul(invSqrt).tanh();
                Tensor h = xt.matmul(weight("B" + m + sfx, create, dt, dt))
                        .add(c.softmax(-1).matmul(jt).matmul(weight("G" + m + sfx, create, dt, dt))).relu();
                next.add(x.get(m).add(h.reshape(numItems, d).matmul(weight("O" + m + sfx, create, d, d))));
            }
            x = next;
        }
        return (k == 1 ? x.get(0) : p.concat(1, x)).matmul(table.create("WZ", ParameterRole.SEMANTIC_OUTPUT, k * d, d)).add(table.create("bZ", ParameterRole.SEMANTIC_OUTPUT_BIAS, d));
    }

    /** An attention weight: created on first use, shared by later recursions unless untied. */
    private Tensor weight(String name, boolean create, long... shape) {
        return create ? table.create(name, ParameterRole.ATTENTION, shape) : table.get(name);
    }
}
