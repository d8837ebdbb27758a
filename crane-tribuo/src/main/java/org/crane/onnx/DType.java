package org.crane.onnx;

import ai.onnx.proto.OnnxMl;

/** Element types of graph values. */
public enum DType {
    /** 32-bit float: every differentiable value. */
    FLOAT(OnnxMl.TensorProto.DataType.FLOAT),
    /** 64-bit integer: indices and shapes. */
    INT64(OnnxMl.TensorProto.DataType.INT64),
    /** Unsigned 8-bit integer: the left operand of an integer product. */
    UINT8(OnnxMl.TensorProto.DataType.UINT8),
    /** Signed 8-bit integer: the right operand of an integer product. */
    INT8(OnnxMl.TensorProto.DataType.INT8),
    /** 32-bit integer: what an integer product accumulates into. */
    INT32(OnnxMl.TensorProto.DataType.INT32);

    private final OnnxMl.TensorProto.DataType onnx;

    DType(OnnxMl.TensorProto.DataType onnx) {
        this.onnx = onnx;
    }

    /** @return the ONNX element type. */
    public OnnxMl.TensorProto.DataType onnx() {
        return onnx;
    }
}
