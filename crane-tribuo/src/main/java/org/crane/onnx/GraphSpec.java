package org.crane.onnx;

import java.util.List;
import java.util.Map;

/**
 * An emitted ONNX model and what it needs and gives.
 * <p>
 * A graph that adds rows at indices (the gradient of a gather, sparse propagation) comes in two
 * forms. This one, for ONNX Runtime's CPU provider, multiplies by one-hot sparse matrices
 * ({@link OneHot}) that the caller's session builds from the index inputs it is fed; that product
 * is exact with any number of threads. {@link #portableForm()} gives the same graph with ScatterND
 * ({@code reduction="add"}) instead, for providers without the sparse operator (CUDA).
 *
 * @param model the serialized ModelProto (IR 8, opset 18).
 * @param inputs the inputs the caller feeds, in order, with their element types and static shapes.
 * @param outputs the graph output names, in order.
 * @param nodeCount the number of ONNX nodes in the graph.
 * @param scatterAdd whether the graph holds ScatterND with reduction "add", which ONNX Runtime's CPU
 *                   kernel computes wrongly (lost updates) with more than one intra-op thread.
 * @param oneHots the sparse inputs derived from index inputs at run time (empty for most graphs).
 * @param portable the ScatterND form of this graph, or null when this graph has no one-hot inputs.
 */
public record GraphSpec(byte[] model, Map<String, InputInfo> inputs, List<String> outputs, int nodeCount, boolean scatterAdd,
                        List<OneHot> oneHots, GraphSpec portable) {

    /**
     * One graph input.
     * @param dtype element type.
     * @param shape static shape, -1 for run-time dimensions.
     */
    public record InputInfo(DType dtype, long[] shape) {
    }

    /**
     * A sparse graph input {@code name} of shape {@code [rows, L]}, built at run time from int64
     * index inputs whose values, concatenated in order, are {@code idx[0..L)}: entry
     * {@code (idx[p], p)} is 1, every other entry 0. Multiplying it by {@code [L, w]} updates adds
     * update row p into output row idx[p].
     * @param name the sparse input's name.
     * @param indices the index inputs, in concatenation order.
     * @param rows the row count, or -1 when it is the length of {@code rowsOf}.
     * @param rowsOf the input whose first dimension is the row count (null when {@code rows} is set).
     */
    public record OneHot(String name, List<String> indices, long rows, String rowsOf) {
    }

    /**
     * Picks this graph's inputs out of a larger set: ONNX Runtime refuses names a graph does not have.
     * @param available a value by name, or null where there is none.
     * @param <T> the value type.
     * @return every input of this graph that {@code available} has, by name.
     */
    public <T> Map<String, T> inputsFrom(java.util.function.Function<String, ? extends T> available) {
        Map<String, T> in = new java.util.HashMap<>();
        for (String k : inputs.keySet()) {
            T t = available.apply(k);
            if (t != null) {
                in.put(k, t);
            }
        }
        return in;
    }

    /** @return the form of this graph to run on a provider without ONNX Runtime's sparse operators. */
    public GraphSpec portableForm() {
        return portable == null ? this : portable;
    }
}
