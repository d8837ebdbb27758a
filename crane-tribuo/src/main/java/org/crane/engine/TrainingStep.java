package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a training graph: parameter values are fed zero-copy from their direct buffers, each
 * gradient output {@code grad:<name>} lands in the parameter's pinned gradient buffer, and scalar
 * outputs (the loss and its parts) are returned. One call = one {@code OrtSession.run}, plus the
 * forward and backward passes of each {@link Offload}: a part of the step computed outside the
 * main graph (in sessions of their own, so they may use more threads than the main graph allows, or
 * in Java), before and after the main one.
 */
public final class TrainingStep implements AutoCloseable {
    /** Prefix of gradient output names. */
    public static final String GRAD_PREFIX = "grad:";

    private final Session session;
    private final Map<String, Parameter> byName = new HashMap<>();
    private final Map<String, OnnxTensor> pinned = new HashMap<>();
    private final List<Offload> offloads;
    /** Each offload's values (inputs of the main graph), in buffers of their own. */
    private final List<Map<String, OnnxTensor>> offloadValues = new ArrayList<>();
    /** The main graph's gradients of each offload's values. */
    private final List<Map<String, OnnxTensor>> offloadValueGrads = new ArrayList<>();
    /** The gradient buffers of the parameters each offload owns. */
    private final List<Map<String, OnnxTensor>> offloadParamGrads = new ArrayList<>();

    /**
     * A part of the step computed outside the main graph: {@link #forward} turns parameters and data
     * into some of the main graph's inputs ({@link #values()}); the main graph also outputs
     * {@code grad:<value>} for each; {@link #backward} turns those gradients into the gradients of the
     * parameters only this part uses.
     */
    public interface Offload extends AutoCloseable {
        /** @return the main graph inputs this part computes, with their shapes. */
        Map<String, long[]> values();

        /**
         * @param parameter a parameter name.
         * @return whether this part computes that parameter's gradient.
         */
        boolean owns(String parameter);

        /**
         * @param input data and parameter values by name.
         * @param out receives each value, in tensors over direct float buffers of the declared shapes.
         */
        void forward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out);

        /**
         * @param input data, parameter values, and the values' gradients ({@code grad:<value>}) by name.
         * @param out receives the gradient of each parameter this part owns ({@code grad:<name>}),
         *        in tensors over the parameters' direct gradient buffers.
         */
        void backward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out);

        @Override
        void close();
    }

    /**
     * An offloaded part computed by two ONNX Runtime sessions.
     * @param forward the forward session: outputs the values.
     * @param backward the backward session: takes {@code grad:<value>} inputs, outputs {@code grad:<parameter>}.
     * @param values the offloaded values and their shapes.
     */
    public record SessionOffload(Session forward, Session backward, Map<String, long[]> values) implements Offload {
        @Override
        public boolean owns(String parameter) {
            return backward.spec().outputs().contains(GRAD_PREFIX + parameter);
        }

        @Override
        public void forward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out) {
            run(forward, input, out);
        }

        @Override
        public void backward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out) {
            run(backward, input, out);
        }

        private static void run(Session s, Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out) {
            Map<String, OnnxTensorLike> in = new HashMap<>();
            for (String k : s.spec().inputs().keySet()) {
                OnnxTensorLike t = input.apply(k);
                if (t != null) {
                    in.put(k, t);
                }
            }
            try (OrtSession.Result r = s.run(in, out)) {
                r.size();
            }
        }

        @Override
        public void close() {
            forward.close();
            backward.close();
        }
    }

    /**
     * @param session a session over a graph whose outputs include {@code grad:<name>} for each parameter.
     * @param params the parameters, fed as inputs by name.
     */
    public TrainingStep(Session session, List<Parameter> params) {
        this(session, params, List.of(), null);
    }

    /**
     * @param session the main graph's session.
     * @param params every parameter; each has its gradient in the main graph or in one offload.
     * @param offloads the offloaded parts (may be empty); the step closes them.
     * @param env the environment for the offloaded values' buffers (null without offloads).
     */
    public TrainingStep(Session session, List<Parameter> params, List<? extends Offload> offloads, ai.onnxruntime.OrtEnvironment env) {
        this.session = session;
        this.offloads = List.copyOf(offloads);
        for (int o = 0; o < this.offloads.size(); o++) {
            offloadValues.add(new HashMap<>());
            offloadValueGrads.add(new HashMap<>());
            offloadParamGrads.add(new HashMap<>());
        }
        for (Parameter p : params) {
            byName.put(p.name(), p);
            String g = GRAD_PREFIX + p.name();
            if (session.spec().outputs().contains(g)) {
                pinned.put(g, p.gradTensor());
                continue;
            }
            int owner = -1;
            for (int o = 0; o < this.offloads.size() && owner < 0; o++) {
                owner = this.offloads.get(o).owns(p.name()) ? o : -1;
            }
            if (owner < 0) {
                throw new IllegalArgumentException("No graph outputs " + g);
            }
            offloadParamGrads.get(owner).put(g, p.gradTensor());
        }
        for (int o = 0; o < this.offloads.size(); o++) {
            for (Map.Entry<String, long[]> v : this.offloads.get(o).values().entrySet()) {
                offloadValues.get(o).put(v.getKey(), direct(env, v.getKey(), v.getValue()));
                OnnxTensor grad = direct(env, GRAD_PREFIX + v.getKey(), v.getValue());
                offloadValueGrads.get(o).put(GRAD_PREFIX + v.getKey(), grad);
                pinned.put(GRAD_PREFIX + v.getKey(), grad);
            }
        }
    }

    private static OnnxTensor direct(ai.onnxruntime.OrtEnvironment env, String name, long[] shape) {
        long n = 1;
        for (long dim : shape) {
            n *= dim;
        }
        java.nio.FloatBuffer buf = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(4 * n))
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        try {
            return OnnxTensor.createTensor(env, buf, shape);
        } catch (ai.onnxruntime.OrtException e) {
            throw new EngineException("Cannot allocate " + name, e);
        }
    }

    /** @return the session. */
    public Session session() {
        return session;
    }

    /**
     * Runs forward and backward.
     * @param data the non-parameter inputs.
     * @return every scalar (non-gradient) output by name.
     */
    public Map<String, Float> run(Map<String, ? extends OnnxTensorLike> data) {
        Map<String, Float> scalars = new LinkedHashMap<>();
        Map<String, OnnxTensorLike> projected = new HashMap<>();
        for (int o = 0; o < offloads.size(); o++) {
            offloads.get(o).forward(name -> lookup(name, data, Map.of()), offloadValues.get(o));
            projected.putAll(offloadValues.get(o));
        }
        Map<String, OnnxTensorLike> in = new HashMap<>();
        for (String k : session.spec().inputs().keySet()) {
            OnnxTensorLike t = lookup(k, data, projected);
            if (t != null) {
                in.put(k, t);
            }
        }
        try (OrtSession.Result r = session.run(in, pinned)) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                if (!e.getKey().startsWith(GRAD_PREFIX)) {
                    scalars.put(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer().get(0));
                }
            }
        }
        for (int o = 0; o < offloads.size(); o++) {
            Map<String, OnnxTensor> grads = offloadValueGrads.get(o);
            offloads.get(o).backward(name -> lookup(name, data, grads), offloadParamGrads.get(o));
        }
        return scalars;
    }

    /** An input by name: from {@code extra}, then {@code data}, then the parameters' values; null if none. */
    private OnnxTensorLike lookup(String name, Map<String, ? extends OnnxTensorLike> data, Map<String, ? extends OnnxTensorLike> extra) {
        OnnxTensorLike t = extra.get(name);
        if (t == null) {
            t = data.get(name);
        }
        if (t == null && byName.containsKey(name)) {
            t = byName.get(name).valueTensor();
        }
        return t;
    }

    @Override
    public void close() {
        offloadValues.forEach(m -> m.values().forEach(OnnxTensor::close));
        offloadValueGrads.forEach(m -> m.values().forEach(OnnxTensor::close));
        offloads.forEach(Offload::close);
        session.close();
    }
}
