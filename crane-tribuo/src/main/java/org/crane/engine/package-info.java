/**
 * ONNX Runtime execution: the engine (environment, session options, CPU or CUDA with a logged
 * fallback), sessions, parameters in direct buffers fed without copying, pinned gradient outputs,
 * and the Adam optimiser that updates parameters in place.
 */
package org.crane.engine;
