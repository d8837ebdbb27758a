package org.crane.onnx;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emits chosen values of a {@link Program} as one ONNX model, built node by node on Tribuo's
 * {@link ONNXContext} with the {@link OnnxOp} table. Only operations the outputs depend on are
 * emitted. Tribuo's context can only declare float inputs of shape [batch, d], so input and output
 * types are patched afterwards to their real element types and shapes; the model header is our
 * own (IR version 8, default-domain opset 18) because Tribuo writes IR 6 with opset 13.
 * <p>
 * Row scatter-adds are written as products with one-hot sparse inputs that stay exact on several
 * CPU threads, with a ScatterND form attached for other providers ({@link GraphSpec} has both).
 */
public final class OnnxGraphWriter {
    /** The ONNX IR version written. */
    public static final int IR_VERSION = 8;

    private final ONNXContext ctx = new ONNXContext();
    private final Map<Tensor, ONNXRef<?>> refs = new IdentityHashMap<>();
    /** Constant zero rows by width. */
    private final Map<Long, ONNXRef<?>> zeroRows = new HashMap<>();
    /** One-hot sparse inputs by (indices, rows) key. */
    private final Map<String, GraphSpec.OneHot> oneHots = new LinkedHashMap<>();
    private final Map<String, ONNXRef<?>> oneHotRefs = new HashMap<>();
    private boolean oneHotScatter;

    private OnnxGraphWriter() {
    }

    /**
     * Emits a model. On the CPU its row scatter-adds (gather gradients, small valued products) are
     * one-hot sparse products, exact on any number of threads; the ScatterND form is attached for
     * providers without that kernel ({@link GraphSpec#portableForm()}). A graph without scatter-add
     * has one form.
     * @param graphName the graph name.
     * @param outputs output name to value, in output order.
     * @param metadata key/value metadata stored in the model (e.g. provenance).
     * @return the model and its signature.
     */
    public static GraphSpec write(String graphName, Map<String, Tensor> outputs, Map<String, String> metadata) {
        GraphSpec portable = write(graphName, outputs, metadata, false, null);
        if (!portable.scatterAdd()) {
            return portable;
        }
        GraphSpec sparse = write(graphName, outputs, metadata, true, portable);
        return sparse.oneHots().isEmpty() ? portable : sparse;
    }

    /**
     * @param oneHotScatter emit each row scatter-add whose indices come from graph inputs as a
     *                      one-hot sparse product ({@link GraphSpec.OneHot}) rather than ScatterND.
     * @param portable the ScatterND form, recorded in the result (null for that form itself).
     */
    private static GraphSpec write(String graphName, Map<String, Tensor> outputs, Map<String, String> metadata,
                                   boolean oneHotScatter, GraphSpec portable) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("A graph needs at least one output");
        }
        Program p = outputs.values().iterator().next().program();
        Set<Node> live = GraphProtos.reachable(outputs.values());
        OnnxGraphWriter w = new OnnxGraphWriter();
        w.oneHotScatter = oneHotScatter;
        w.ctx.setName(graphName);
        Map<String, GraphSpec.InputInfo> inputs = new LinkedHashMap<>();
        for (Node n : p.nodes()) {
            if (live.contains(n)) {
                if (n.kind == Kind.INPUT) {
                    inputs.put(n.name, new GraphSpec.InputInfo(n.outputs[0].dtype(), n.outputs[0].shape()));
                }
                w.emit(n);
            }
        }
        Map<String, Tensor> outs = new LinkedHashMap<>(outputs);
        for (Map.Entry<String, Tensor> e : outs.entrySet()) {
            ONNXPlaceholder ph = w.ctx.floatOutput(e.getKey(), 1);
            w.ctx.assignTo(w.refs.get(e.getValue()), ph);
        }
        OnnxMl.GraphProto.Builder g = w.ctx.buildGraph().toBuilder();
        for (int i = 0; i < g.getInputCount(); i++) {
            String name = g.getInput(i).getName();
            GraphSpec.InputInfo info = inputs.get(name);
            g.setInput(i, info != null ? GraphProtos.valueInfo(name, info.dtype(), info.shape()) : GraphProtos.sparseValueInfo(name));
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            Tensor t = outs.get(g.getOutput(i).getName());
            g.setOutput(i, GraphProtos.valueInfo(g.getOutput(i).getName(), t.dtype(), t.shape()));
        }
        GraphProtos.dropUnusedInitializers(g);
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("crane-tribuo")
                .setProducerVersion("0.1.0")
                .setDomain("org.crane")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOp.OPSET))
                .setGraph(g);
        if (!w.oneHots.isEmpty()) {
            m.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(OnnxOp.MS_DOMAIN)
                    .setVersion(OnnxOp.SPARSE_TO_DENSE_MATMUL.getOpVersion()));
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        boolean scatter = false;
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            scatter |= node.getOpType().equals(OnnxOp.SCATTER_ND.getOpName());
        }
        return new GraphSpec(m.build().toByteArray(), inputs, List.copyOf(outs.keySet()), g.getNodeCount(), scatter,
                List.copyOf(w.oneHots.values()), portable);
    }

    private ONNXRef<?> ref(Tensor t) {
        ONNXRef<?> r = refs.get(t);
        if (r == null) {
            throw new IllegalStateException("Value " + t + " used before it was emitted");
        }
        return r;
    }

    private ONNXNode op(OnnxOp op, List<ONNXRef<?>> in, Map<String, Object> attrs) {
        return ctx.operation(op, in, op.getOpName().toLowerCase(java.util.Locale.ROOT), attrs);
    }

    private ONNXNode op(OnnxOp op, ONNXRef<?>... in) {
        return op(op, List.of(in), Map.of());
    }

    private ONNXRef<?> longs(long... v) {
        return ctx.array("c", v);
    }

    private void emit(Node n) {
        List<ONNXRef<?>> in = new ArrayList<>();
        for (Tensor t : n.inputs) {
            in.add(ref(t));
        }
        ONNXRef<?> out;
        switch (n.kind) {
            case INPUT:
                out = ctx.floatInput(n.name, 1);
                break;
            case CONSTANT: {
                long[] shape = n.longsAttr("shape");
                if (n.outputs[0].dtype() == DType.FLOAT) {
                    float[] v = (float[]) n.attrs.get("value");
                    if (shape.length == 0) {
                        out = ctx.constant("k", v[0]);
                    } else {
                        List<Integer> dims = new ArrayList<>();
                        for (long d : shape) {
                            dims.add((int) d);
                        }
                        out = ctx.floatTensor("k", dims, fb -> fb.put(v));
                    }
                } else {
                    if (shape.length != 1) {
                        throw new IllegalArgumentException("int64 constants must be vectors, got shape " + java.util.Arrays.toString(shape));
                    }
                    out = ctx.array("k", (long[]) n.attrs.get("value"));
                }
                break;
            }
            case ADD: out = op(OnnxOp.ADD, in.get(0), in.get(1)); break;
            case SUB: out = op(OnnxOp.SUB, in.get(0), in.get(1)); break;
            case MUL: out = op(OnnxOp.MUL, in.get(0), in.get(1)); break;
            case DIV: out = op(OnnxOp.DIV, in.get(0), in.get(1)); break;
            case NEG: out = op(OnnxOp.NEG, in.get(0)); break;
            case EXP: out = op(OnnxOp.EXP, in.get(0)); break;
            case LOG: out = op(OnnxOp.LOG, in.get(0)); break;
            case SQRT: out = op(OnnxOp.SQRT, in.get(0)); break;
            case TANH: out = op(OnnxOp.TANH, in.get(0)); break;
            case RELU: out = op(OnnxOp.RELU, in.get(0)); break;
            case SIGMOID: out = op(OnnxOp.SIGMOID, in.get(0)); break;
            case SOFTPLUS: out = op(OnnxOp.SOFTPLUS, in.get(0)); break;
            case SIGN: out = op(OnnxOp.SIGN, in.get(0)); break;
            case IDENTITY: case STOP_GRADIENT: out = op(OnnxOp.IDENTITY, in.get(0)); break;
            case MATMUL: out = op(OnnxOp.MATMUL, in.get(0), in.get(1)); break;
            case MATMUL_INTEGER: out = op(OnnxOp.MATMUL_INTEGER, in.get(0), in.get(1)); break;
            case TRANSPOSE:
                out = op(OnnxOp.TRANSPOSE, in, Map.of("perm", n.intsAttr("perm")));
                break;
            case RESHAPE:
                out = op(OnnxOp.RESHAPE, in.get(0), longs(n.longsAttr("shape")));
                break;
            case RESHAPE_LIKE:
                out = op(OnnxOp.RESHAPE, in.get(0), op(OnnxOp.SHAPE, in.get(1)));
                break;
            case UNSQUEEZE:
                out = op(OnnxOp.UNSQUEEZE, in.get(0), longs(GraphProtos.toLongs(n.intsAttr("axes"))));
                break;
            case EXPAND_LIKE:
                out = op(OnnxOp.EXPAND, in.get(0), op(OnnxOp.SHAPE, in.get(1)));
                break;
            case REDUCE_SUM: case REDUCE_MEAN:
                out = op(n.kind == Kind.REDUCE_SUM ? OnnxOp.REDUCE_SUM : OnnxOp.REDUCE_MEAN,
                        List.of(in.get(0), longs(GraphProtos.toLongs(n.intsAttr("axes")))), Map.of("keepdims", n.intAttr("keepdims")));
                break;
            case LOG_SUM_EXP: {
                // max + log(sum(exp(x - max))): stable, and built from vectorised kernels (ONNX
                // Runtime's CPU ReduceLogSumExp took 30 ms on [857, 857], this ~3 ms)
                ONNXRef<?> axis = longs(n.intAttr("axis"));
                ONNXRef<?> max = op(OnnxOp.REDUCE_MAX, List.of(in.get(0), axis), Map.of("keepdims", 1));
                ONNXRef<?> sum = op(OnnxOp.REDUCE_SUM, List.of(op(OnnxOp.EXP, op(OnnxOp.SUB, in.get(0), max)), axis), Map.of("keepdims", 1));
                ONNXRef<?> lse = op(OnnxOp.ADD, op(OnnxOp.LOG, sum), max);
                out = op(OnnxOp.SQUEEZE, lse, axis);
                break;
            }
            case SOFTMAX:
                out = op(OnnxOp.SOFTMAX, in, Map.of("axis", n.intAttr("axis")));
                break;
            case LOG_SOFTMAX:
                out = op(OnnxOp.LOG_SOFTMAX, in, Map.of("axis", n.intAttr("axis")));
                break;
            case GATHER_ROWS:
                out = op(OnnxOp.GATHER, in, Map.of("axis", 0));
                break;
            case SCATTER_ADD_ROWS: {
                ONNXRef<?> product = oneHotScatter ? oneHotProduct(n, in.get(1)) : null;
                if (product != null) {
                    out = product;
                    break;
                }
                int idxRank = n.inputs.get(0).rank();
                ONNXRef<?> idx = op(OnnxOp.UNSQUEEZE, in.get(0), longs(-1));
                ONNXRef<?> tail = op(OnnxOp.SHAPE, List.of(in.get(1)), Map.of("start", idxRank));
                ONNXRef<?> shape = op(OnnxOp.CONCAT, List.of(in.get(2), tail), Map.of("axis", 0));
                OnnxMl.TensorProto zero = OnnxMl.TensorProto.newBuilder().setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .addDims(1).addFloatData(0f).build();
                ONNXRef<?> zeros = op(OnnxOp.CONSTANT_OF_SHAPE, List.of(shape), Map.of("value", zero));
                out = op(OnnxOp.SCATTER_ND, List.of(zeros, idx, in.get(1)), Map.of("reduction", "add"));
                break;
            }
            case NEIGHBOUR_SUM:
                out = neighbourSum(n, in);
                break;
            case ROWS_OF:
                out = op(OnnxOp.SHAPE, List.of(in.get(0)), Map.of("start", 0, "end", 1));
                break;
            case SIZE_RATIO: {
                Map<String, Object> toFloat = Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber());
                ONNXRef<?> ny = op(OnnxOp.CAST, List.of(op(OnnxOp.SIZE, in.get(0))), toFloat);
                ONNXRef<?> nx = op(OnnxOp.CAST, List.of(op(OnnxOp.SIZE, in.get(1))), toFloat);
                out = op(OnnxOp.DIV, ny, nx);
                break;
            }
            case CONCAT:
                out = op(OnnxOp.CONCAT, in, Map.of("axis", n.intAttr("axis")));
                break;
            case SLICE:
                out = op(OnnxOp.SLICE, in.get(0), longs(n.longAttr("start")), longs(n.longAttr("end")), longs(n.intAttr("axis")));
                break;
            case PAD_AXIS: {
                int r = n.inputs.get(0).rank();
                long[] pads = new long[2 * r];
                pads[n.intAttr("axis")] = n.longAttr("before");
                pads[r + n.intAttr("axis")] = n.longAttr("after");
                out = op(OnnxOp.PAD, in.get(0), longs(pads));
                break;
            }
            case EQUAL_FLOAT:
                out = op(OnnxOp.CAST, List.of(op(OnnxOp.EQUAL, in.get(0), in.get(1))), Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
                break;
            case CAST_FLOAT:
                out = op(OnnxOp.CAST, in, Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
                break;
            case MOD:
                out = op(OnnxOp.MOD, in, Map.of("fmod", 0));
                break;
            case TOPK: {
                List<ONNXNode> outs = ctx.operation(OnnxOp.TOPK, List.of(in.get(0), longs(n.intAttr("k"))),
                        List.of("topk_values", "topk_indices"), Map.of("axis", -1, "largest", 1, "sorted", 1));
                refs.put(n.outputs[0], outs.get(0));
                refs.put(n.outputs[1], outs.get(1));
                return;
            }
            default:
                throw new IllegalStateException("Cannot emit " + n.kind);
        }
        refs.put(n.outputs[0], out);
    }

    /**
     * Emits {@link Kind#NEIGHBOUR_SUM}: x with a zero row appended (the padding index), one Gather
     * for the one-entry rows and a Gather and ReduceSum over the list axis per bucket, the class
     * results concatenated with a zero row (for rows with no entries), and a Gather into row order.
     */
    private ONNXRef<?> neighbourSum(Node n, List<ONNXRef<?>> in) {
        // in: x, then the matrix's lists in NeighbourInputs order (position, one-entry columns,
        // buckets); the transpose's lists follow and serve only the gradient
        int buckets = n.intAttr("buckets");
        long d = n.inputs.get(0).dim(1);
        ONNXRef<?> x = concatWithZeroRow(List.of(in.get(0)), d);
        List<ONNXRef<?>> parts = new ArrayList<>();
        parts.add(op(OnnxOp.GATHER, List.of(x, in.get(2)), Map.of("axis", 0)));
        ONNXRef<?> listAxis = longs(1);
        for (int b = 0; b < buckets; b++) {
            ONNXRef<?> rows = op(OnnxOp.GATHER, List.of(x, in.get(3 + b)), Map.of("axis", 0));
            parts.add(op(OnnxOp.REDUCE_SUM, List.of(rows, listAxis), Map.of("keepdims", 0)));
        }
        return op(OnnxOp.GATHER, List.of(concatWithZeroRow(parts, d), in.get(1)), Map.of("axis", 0));
    }

    /**
     * Concatenates row blocks and a zero row in one copy: the zero row joins the Concat as a constant
     * where the width is static (twice as fast as Pad here), else a Pad follows.
     */
    private ONNXRef<?> concatWithZeroRow(List<ONNXRef<?>> blocks, long d) {
        if (d < 0) {
            ONNXRef<?> all = blocks.size() == 1 ? blocks.get(0) : op(OnnxOp.CONCAT, blocks, Map.of("axis", 0));
            return op(OnnxOp.PAD, all, longs(0, 0, 1, 0));
        }
        List<ONNXRef<?>> parts = new ArrayList<>(blocks);
        parts.add(zeroRows.computeIfAbsent(d, w -> ctx.floatTensor("k", List.of(1, (int) (long) w), fb -> fb.put(new float[(int) (long) w]))));
        return op(OnnxOp.CONCAT, parts, Map.of("axis", 0));
    }

    /**
     * Emits {@code scatterAddRows(idx, upd, nRows)} as {@code onehot(idx) [nRows, L] x upd [L, w]}
     * when the indices are graph inputs (or their concatenation) and the row count is a constant or
     * the length of an input, so that the session can build the one-hot matrix from what it is fed.
     * @return the product, or null when the node does not qualify.
     */
    private ONNXRef<?> oneHotProduct(Node n, ONNXRef<?> upd) {
        Tensor idx = n.inputs.get(0);
        Tensor updates = n.inputs.get(1);
        List<String> names = GraphProtos.indexInputs(idx);
        // the row count shape inference already gave the output, else the input whose length it is
        long rows = n.outputs[0].dim(0);
        String rowsOf = rows >= 0 ? null : GraphProtos.rowsInput(n.outputs[0]);
        long width = 1;
        for (int i = idx.rank(); i < updates.rank(); i++) {
            width = updates.dim(i) < 0 || width < 0 ? -1 : width * updates.dim(i);
        }
        if (names == null || (rows < 0 && rowsOf == null) || width < 0) {
            return null;
        }
        String key = names + "|" + rows + "|" + rowsOf;
        GraphSpec.OneHot oh = oneHots.computeIfAbsent(key, k -> new GraphSpec.OneHot("onehot" + oneHots.size() + ":" + names.get(0),
                names, rows, rowsOf));
        ONNXRef<?> a = oneHotRefs.computeIfAbsent(oh.name(), nm -> ctx.floatInput(nm, 1));
        boolean flat = idx.rank() == 1 && updates.rank() == 2;
        ONNXRef<?> b = flat ? upd : op(OnnxOp.RESHAPE, upd, longs(-1, width));
        ONNXRef<?> prod = op(OnnxOp.SPARSE_TO_DENSE_MATMUL, a, b);
        if (flat) {
            return prod;
        }
        long[] shape = new long[1 + updates.rank() - idx.rank()];
        shape[0] = -1;
        for (int i = idx.rank(); i < updates.rank(); i++) {
            shape[1 + i - idx.rank()] = updates.dim(i);
        }
        return op(OnnxOp.RESHAPE, prod, longs(shape));
    }


}
