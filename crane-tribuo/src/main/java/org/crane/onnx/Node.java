package org.crane.onnx;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One recorded operation of a {@link Program}: its kind, inputs, attributes and outputs. */
final class Node {
    final Program program;
    final int id;
    final Kind kind;
    final List<Tensor> inputs;
    final Map<String, Object> attrs;
    final String name;
    Tensor[] outputs;

    Node(Program program, int id, Kind kind, List<Tensor> inputs, Map<String, Object> attrs, String name) {
        this.program = program;
        this.id = id;
        this.kind = kind;
        this.inputs = List.copyOf(inputs);
        this.attrs = attrs == null ? Collections.emptyMap() : Map.copyOf(attrs);
        this.name = name;
    }

    Program program() {
        return program;
    }

    int intAttr(String key) {
        return (Integer) attrs.get(key);
    }

    int[] intsAttr(String key) {
        return (int[]) attrs.get(key);
    }

    long[] longsAttr(String key) {
        return (long[]) attrs.get(key);
    }

    long longAttr(String key) {
        return (Long) attrs.get(key);
    }
}
