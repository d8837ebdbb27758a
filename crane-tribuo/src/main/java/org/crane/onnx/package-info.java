/**
 * ONNX graph building on Tribuo's {@code ONNXContext}: the operator table (opset 18), a small
 * differentiable-program API ({@link org.crane.onnx.Program}, {@link org.crane.onnx.Tensor}),
 * reverse-mode differentiation that emits the backward pass as ONNX nodes
 * ({@link org.crane.onnx.Autodiff}), and the model writer with typed inputs and our own model header
 * ({@link org.crane.onnx.OnnxGraphWriter}).
 */
package org.crane.onnx;
