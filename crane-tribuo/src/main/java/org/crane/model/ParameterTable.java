package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network's parameters in creation order: each one's graph input, shape and {@link ParameterRole},
 * including those of the encoders that run outside the training graph (shape and role, no input).
 */
final class ParameterTable {
    private final Program program;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, ParameterRole> roles = new LinkedHashMap<>();

    ParameterTable(Program program) {
        this.program = program;
    }

    /** A parameter that is an input of the training graph. */
    Tensor create(String name, ParameterRole role, long... shape) {
        Tensor t = program.input(name, DType.FLOAT, shape);
        inputs.put(name, t);
        shapes.put(name, shape.clone());
        roles.put(name, role);
        return t;
    }

    /** A parameter used outside the training graph (an offloaded encoder's). */
    void declare(String name, ParameterRole role, long... shape) {
        shapes.put(name, shape.clone());
        roles.put(name, role);
    }

    /** @return the input of a parameter created before, or null. */
    Tensor get(String name) {
        return inputs.get(name);
    }

    /** @return the training graph's parameter inputs, name to tensor. */
    Map<String, Tensor> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    /** @return every parameter's shape. */
    Map<String, long[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** @return every parameter's role. */
    Map<String, ParameterRole> roles() {
        return Collections.unmodifiableMap(roles);
    }
}
