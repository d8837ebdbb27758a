package org.crane.engine;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import org.crane.onnx.GraphSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trainable parameters of a model, by name, in creation order. Close to release native tensors. */
public final class ParameterStore implements AutoCloseable {
    private final OrtEnvironment env;
    private final Map<String, Parameter> params = new LinkedHashMap<>();

    /**
     * @param env the ONNX Runtime environment.
     */
    public ParameterStore(OrtEnvironment env) {
        this.env = env;
    }

    /**
     * @param name unique name (also the graph input name).
     * @param shape static shape.
     * @param init initial values, row-major.
     * @return the parameter.
     */
    public Parameter add(String name, long[] shape, float[] init) {
        if (params.containsKey(name)) {
            throw new IllegalArgumentException("Parameter '" + name + "' exists already");
        }
        Parameter p = new Parameter(env, name, shape, init);
        params.put(name, p);
        return p;
    }

    /**
     * @param name a name.
     * @return the parameter.
     */
    public Parameter get(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("No parameter '" + name + "'");
        }
        return p;
    }

    /** @return all parameters, in creation order. */
    public List<Parameter> all() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    /**
     * The inputs of a graph that reads some parameters: its other inputs from {@code data}, then the
     * current value of every parameter it names.
     * @param spec the graph.
     * @param data a value by input name, or null where there is none.
     * @return input name to value, for the graph's inputs that have one.
     */
    public Map<String, OnnxTensorLike> feed(GraphSpec spec, java.util.function.Function<String, ? extends OnnxTensorLike> data) {
        Map<String, OnnxTensorLike> feed = new java.util.HashMap<>(spec.inputsFrom(data));
        for (Parameter p : params.values()) {
            if (spec.inputs().containsKey(p.name())) {
                feed.put(p.name(), p.valueTensor());
            }
        }
        return feed;
    }

    /** @return the total number of values. */
    public long count() {
        long c = 0;
        for (Parameter p : params.values()) {
            c += p.size();
        }
        return c;
    }

    /** @return name to a copy of the values. */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Parameter p : params.values()) {
            s.put(p.name(), p.copyValues());
        }
        return s;
    }

    /** @param snapshot values from {@link #snapshot()}. */
    public void restore(Map<String, float[]> snapshot) {
        for (Map.Entry<String, float[]> e : snapshot.entrySet()) {
            get(e.getKey()).setValues(e.getValue());
        }
    }

    @Override
    public void close() {
        for (Parameter p : params.values()) {
            p.close();
        }
    }
}
