package org.crane.onnx;

import java.util.List;
import java.util.Map;

/**
 * An emitted ONNX model and what it needs and gives.
 * @param model the serialized ModelProto (IR 8, opset 18).
 * @param inputs the graph inputs, in order, with their element types and static shapes.
 * @param outputs the graph output names, in order.
 * @param nodeCount the number of ONNX nodes in the graph.
 * @param scatterAdd whether the graph holds ScatterND with reduction "add", which ONNX Runtime's CPU
 *                   kernel computes wrongly (lost updates) with more than one intra-op thread.
 */
public record GraphSpec(byte[] model, Map<String, InputInfo> inputs, List<String> outputs, int nodeCount, boolean scatterAdd) {

    /**
     * One graph input.
     * @param dtype element type.
     * @param shape static shape, -1 for run-time dimensions.
     */
    public record InputInfo(DType dtype, long[] shape) {
    }
}
