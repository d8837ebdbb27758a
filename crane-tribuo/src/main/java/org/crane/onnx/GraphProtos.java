package org.crane.onnx;

import ai.onnx.proto.OnnxMl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stateless parts of writing a graph as ONNX: value infos for inputs and outputs, the nodes an
 * output reaches, dropping initializers nothing reads, and recognising which graph inputs feed an
 * index or size a scatter (used by {@link OnnxGraphWriter} to choose its lowering).
 */
final class GraphProtos {
    private GraphProtos() {
    }

    /**
     * Removes initializers that no node reads and no output names (a constant created while emitting
     * an operation whose simplified form did not need it), so ONNX Runtime has nothing to warn about.
     */
    static void dropUnusedInitializers(OnnxMl.GraphProto.Builder g) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (OnnxMl.NodeProto node : g.getNodeList()) {
            used.addAll(node.getInputList());
        }
        for (OnnxMl.ValueInfoProto o : g.getOutputList()) {
            used.add(o.getName());
        }
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            if (!used.contains(g.getInitializer(i).getName())) {
                g.removeInitializer(i);
            }
        }
    }

    static Set<Node> reachable(Iterable<Tensor> outputs) {
        Set<Node> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>();
        for (Tensor t : outputs) {
            todo.add(t.node);
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (seen.add(n)) {
                for (Tensor in : n.inputs) {
                    todo.add(in.node);
                }
            }
        }
        return seen;
    }

    static OnnxMl.ValueInfoProto valueInfo(String name, DType dtype, long[] shape) {
        OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.length; i++) {
            OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (shape[i] >= 0) {
                d.setDimValue(shape[i]);
            } else {
                d.setDimParam(name + "_dim" + i);
            }
            sb.addDim(d);
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(dtype.onnx().getNumber()).setShape(sb)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    static OnnxMl.ValueInfoProto sparseValueInfo(String name) {
        OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_rows"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_cols"));
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setSparseTensorType(OnnxMl.TypeProto.SparseTensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(sb)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** @return the int64 graph inputs whose values, flattened and concatenated, are {@code idx}, or null. */
    static List<String> indexInputs(Tensor idx) {
        Node n = idx.node;
        if (n.kind == Kind.INPUT && idx.dtype() == DType.INT64) {
            return List.of(n.name);
        }
        if (n.kind == Kind.RESHAPE && n.longsAttr("shape").length == 1 && n.inputs.get(0).node.kind == Kind.INPUT) {
            return indexInputs(n.inputs.get(0));
        }
        if (n.kind == Kind.CONCAT && n.intAttr("axis") == 0) {
            List<String> all = new ArrayList<>();
            for (Tensor part : n.inputs) {
                List<String> sub = part.rank() == 1 ? indexInputs(part) : null;
                if (sub == null) {
                    return null;
                }
                all.addAll(sub);
            }
            return all;
        }
        return null;
    }

    /**
     * @param t a value whose row count is not static.
     * @return the graph input whose first dimension is that row count, or null: followed through
     *         scatter-adds sized by a row count, gathers at an index input (as many rows as indices),
     *         and ops that keep their first operand's rows (element-wise ops, identities), so that a
     *         gather from a batch-sized value has a one-hot gradient too.
     */
    static String rowsInput(Tensor t) {
        Node n = t.node;
        switch (n.kind) {
            case INPUT:
                return n.name;
            case SCATTER_ADD_ROWS:
                return n.inputs.get(2).node.kind == Kind.ROWS_OF ? rowsInput(n.inputs.get(2).node.inputs.get(0)) : null;
            case GATHER_ROWS: {
                Tensor idx = n.inputs.get(1);
                return idx.rank() == 1 && idx.node.kind == Kind.INPUT ? idx.node.name : null;
            }
            case ADD: case SUB: case MUL: case DIV: case NEG: case IDENTITY: case STOP_GRADIENT: case EXP: case LOG: case SQRT:
            case TANH: case RELU: case SIGMOID: case SOFTPLUS: {
                // the output has the rows of its operands of full rank (broadcasting only widens rows of 1)
                for (Tensor in : n.inputs) {
                    String name = in.rank() == t.rank() && in.dim(0) < 0 ? rowsInput(in) : null;
                    if (name != null) {
                        return name;
                    }
                }
                return null;
            }
            default:
                return null;
        }
    }

    static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}
