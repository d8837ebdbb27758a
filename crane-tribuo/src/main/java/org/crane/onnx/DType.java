package org.crane.onnx;

import ai.onnx.proto.OnnxMl;

/** Element types of graph values. */
public enum DType {
    /** 32-bit float: every differentiable value. */
    FLOAT(OnnxMl.TensorProto.DataType.FLOAT),
    /** 64-bit integer: indices and shapes. */
    INT64(OnnxMl.TensorProto.DataType.INT64);

    private final OnnxMl.TensorProto.DataType onnx;

    DType(OnnxMl.TensorProto.DataType onnx) {
        this.onnx = onnx;
    }

    /** @return the ONNX element type. */
    public OnnxMl.TensorProto.DataType onnx() {
        return onnx;
    }
}
