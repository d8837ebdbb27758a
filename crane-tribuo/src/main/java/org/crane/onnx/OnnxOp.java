package org.crane.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX operators this project emits, as Tribuo {@link ONNXOperator}s: opset 18 of the default
 * domain (written as the empty domain {@code ""}). Tribuo's own operator table stops at opset 13 and
 * lacks MatMul, Transpose, ScatterND and most of what a backward pass needs. Opset 18 matters:
 * ScatterND's {@code reduction="add"} needs 16, and ReduceSum/ReduceMean take their axes as an input.
 */
public enum OnnxOp implements ONNXOperator {
    ADD("Add", 2), SUB("Sub", 2), MUL("Mul", 2), DIV("Div", 2), NEG("Neg", 1),
    EXP("Exp", 1), LOG("Log", 1), SQRT("Sqrt", 1), TANH("Tanh", 1), RELU("Relu", 1),
    SIGMOID("Sigmoid", 1), SOFTPLUS("Softplus", 1), SIGN("Sign", 1), IDENTITY("Identity", 1),
    MATMUL("MatMul", 2),
    MATMUL_INTEGER("MatMulInteger", 2),
    TRANSPOSE("Transpose", 1, 0, 1, attr("perm", AttributeType.INTS, false)),
    RESHAPE("Reshape", 2),
    SHAPE("Shape", 1, 0, 1, attr("start", AttributeType.INT, false), attr("end", AttributeType.INT, false)),
    SIZE("Size", 1),
    EXPAND("Expand", 2),
    UNSQUEEZE("Unsqueeze", 2),
    SQUEEZE("Squeeze", 2),
    CONCAT("Concat", ONNXAttribute.VARIADIC_INPUT, 0, 1, attr("axis", AttributeType.INT, true)),
    SLICE("Slice", 3, 2, 1),
    PAD("Pad", 2, 2, 1, attr("mode", AttributeType.STRING, false)),
    REDUCE_SUM("ReduceSum", 1, 1, 1, attr("keepdims", AttributeType.INT, false), attr("noop_with_empty_axes", AttributeType.INT, false)),
    REDUCE_MEAN("ReduceMean", 1, 1, 1, attr("keepdims", AttributeType.INT, false), attr("noop_with_empty_axes", AttributeType.INT, false)),
    REDUCE_MAX("ReduceMax", 1, 1, 1, attr("keepdims", AttributeType.INT, false), attr("noop_with_empty_axes", AttributeType.INT, false)),
    SOFTMAX("Softmax", 1, 0, 1, attr("axis", AttributeType.INT, false)),
    LOG_SOFTMAX("LogSoftmax", 1, 0, 1, attr("axis", AttributeType.INT, false)),
    GATHER("Gather", 2, 0, 1, attr("axis", AttributeType.INT, false)),
    SCATTER_ND("ScatterND", 3, 0, 1, attr("reduction", AttributeType.STRING, false)),
    CONSTANT_OF_SHAPE("ConstantOfShape", 1, 0, 1, attr("value", AttributeType.TENSOR, false)),
    EQUAL("Equal", 2),
    MOD("Mod", 2, 0, 1, attr("fmod", AttributeType.INT, false)),
    CAST("Cast", 1, 0, 1, attr("to", AttributeType.INT, true)),
    TOPK("TopK", 2, 0, 2, attr("axis", AttributeType.INT, false), attr("largest", AttributeType.INT, false), attr("sorted", AttributeType.INT, false)),
    /**
     * ONNX Runtime's contrib operator (domain {@code com.microsoft}, version 1): sparse tensor A times
     * dense B. Its CPU kernel is single-threaded and race-free, unlike ScatterND with
     * {@code reduction="add"}; it has no CUDA kernel.
     */
    SPARSE_TO_DENSE_MATMUL("SparseToDenseMatMul", OnnxOp.MS_DOMAIN, 1, 2, 0, 1,
            attr("alpha", AttributeType.FLOAT, false), attr("transA", AttributeType.INT, false), attr("transB", AttributeType.INT, false));

    /** The default-domain opset version this table targets. */
    public static final int OPSET = 18;
    /** ONNX Runtime's contrib-operator domain. */
    public static final String MS_DOMAIN = "com.microsoft";

    private final String opName;
    private final String domain;
    private final int version;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    OnnxOp(String opName, int numInputs) {
        this(opName, numInputs, 0, 1);
    }

    OnnxOp(String opName, int numInputs, int numOptionalInputs, int numOutputs, ONNXAttribute... attrs) {
        this(opName, "", OPSET, numInputs, numOptionalInputs, numOutputs, attrs);
    }

    OnnxOp(String opName, String domain, int version, int numInputs, int numOptionalInputs, int numOutputs, ONNXAttribute... attrs) {
        this.opName = opName;
        this.domain = domain;
        this.version = version;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        Map<String, ONNXAttribute> m = new HashMap<>();
        Set<String> mand = new HashSet<>();
        for (ONNXAttribute a : attrs) {
            m.put(a.getName(), a);
            if (a.isMandatory()) {
                mand.add(a.getName());
            }
        }
        this.attributes = Collections.unmodifiableMap(m);
        this.mandatory = Collections.unmodifiableSet(mand);
    }

    private static ONNXAttribute attr(String name, AttributeType type, boolean mandatory) {
        return new ONNXAttribute(name, type, mandatory);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return version;
    }

    @Override
    public String getOpDomain() {
        return domain;
    }
}
