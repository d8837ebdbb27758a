package org.crane.engine;

/** Where ONNX Runtime runs the graphs. */
public enum ExecutionProvider {
    /** ONNX Runtime's CPU kernels (MLAS); always available. */
    CPU,
    /** NVIDIA CUDA; needs the {@code -Pgpu} build and a CUDA 12 runtime, else falls back to CPU with a warning. */
    CUDA
}
