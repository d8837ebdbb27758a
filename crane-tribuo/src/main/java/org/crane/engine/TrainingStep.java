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
    private final List<Attached> offloads = new ArrayList<>();
    /** Every offload's values, as the main graph reads them. */
    private final Map<String, OnnxTensor> offloadValues = new HashMap<>();

    /**
     * An offload with its buffers.
     * @param offload the part.
     * @param values its values (inputs of the main graph), in buffers of their own.
     * @param valueGrads the main graph's gradients of those values ({@code grad:<value>}).
     * @param paramGrads the gradient buffers of the parameters it owns ({@code grad:<name>}).
     */
    private record Attached(Offload offload, Map<String, OnnxTensor> values, Map<String, OnnxTensor> valueGrads,
                            Map<String, OnnxTensor> paramGrads) {
    }

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
            s.runInto(s.spec().inputsFrom(input), out);
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
        for (Offload o : offloads) {
            Attached a = new Attached(o, new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (Map.Entry<String, long[]> v : o.values().entrySet()) {
                a.values().put(v.getKey(), direct(env, v.getKey(), v.getValue()));
                OnnxTensor grad = direct(env, GRAD_PREFIX + v.getKey(), v.getValue());
                a.valueGrads().put(GRAD_PREFIX + v.getKey(), grad);
                pinned.put(GRAD_PREFIX + v.getKey(), grad);
            }
            offloadValues.putAll(a.values());
            this.offloads.add(a);
        }
        for (Parameter p : params) {
            byName.put(p.name(), p);
            String g = GRAD_PREFIX + p.name();
            if (session.spec().outputs().contains(g)) {
                pinned.put(g, p.gradTensor());
                continue;
            }
            Attached owner = this.offloads.stream().filter(a -> a.offload().owns(p.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No graph outputs " + g));
            owner.paramGrads().put(g, p.gradTensor());
        }
    }

    private static OnnxTensor direct(ai.onnxruntime.OrtEnvironment env, String name, long[] shape) {
        long n = 1;
        for (long dim : shape) {
            n *= dim;
        }
        try {
            return OnnxTensor.createTensor(env, Tensors.staging(Math.toIntExact(n)), shape);
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
        return run(data, (name, value) -> {
        });
    }

    /**
     * Runs forward and backward.
     * @param data the non-parameter inputs.
     * @param gradients receives each gradient output that has no buffer of the step's (the gradient of
     *        a data input), valid during the call only.
     * @return every scalar (non-gradient) output by name.
     */
    public Map<String, Float> run(Map<String, ? extends OnnxTensorLike> data, java.util.function.BiConsumer<String, OnnxTensor> gradients) {
        Map<String, Float> scalars = new LinkedHashMap<>();
        offloadedValues(data);
        try (OrtSession.Result r = session.run(session.spec().inputsFrom(name -> lookup(name, data, offloadValues)), pinned)) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                if (!e.getKey().startsWith(GRAD_PREFIX)) {
                    scalars.put(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer().get(0));
                } else {
                    gradients.accept(e.getKey(), (OnnxTensor) e.getValue());
                }
            }
        }
        for (Attached a : offloads) {
            a.offload().backward(name -> lookup(name, data, a.valueGrads()), a.paramGrads());
        }
        return scalars;
    }

    /**
     * Runs the offloads' forward passes alone, for a graph that reads the same values without
     * training (the semantic view's forward graph, the embedding graph), so that it needs neither the
     * raw features the offloads read nor a copy of them.
     * @param data the non-parameter inputs the offloads read.
     * @return the offloaded values by name, in this step's buffers: valid until its next run.
     */
    public Map<String, OnnxTensor> offloadedValues(Map<String, ? extends OnnxTensorLike> data) {
        for (Attached a : offloads) {
            a.offload().forward(name -> lookup(name, data, Map.of()), a.values());
        }
        return java.util.Collections.unmodifiableMap(offloadValues);
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
        for (Attached a : offloads) {
            a.values().values().forEach(OnnxTensor::close);
            a.valueGrads().values().forEach(OnnxTensor::close);
            a.offload().close();
        }
        session.close();
    }
}
