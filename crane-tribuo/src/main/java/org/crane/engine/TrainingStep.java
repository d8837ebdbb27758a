package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtSession;
import org.crane.onnx.GraphSpec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a training graph: parameter values are fed zero-copy from their direct buffers, each
 * gradient output {@code grad:<name>} lands in the parameter's pinned gradient buffer, and scalar
 * outputs (the loss and its parts) are returned. One call = one {@code OrtSession.run}, or three
 * with an {@link Offload}: a part of the graph that runs in sessions of its own (so it may use
 * more threads than the main graph allows) before and after the main one.
 */
public final class TrainingStep implements AutoCloseable {
    /** Prefix of gradient output names. */
    public static final String GRAD_PREFIX = "grad:";

    private final Session session;
    private final Map<String, Parameter> byName = new HashMap<>();
    private final Map<String, OnnxTensor> pinned = new HashMap<>();
    private final Offload offload;
    private final Map<String, OnnxTensor> offloadGrads = new HashMap<>();
    private final Map<String, OnnxTensor> offloadPinned = new HashMap<>();

    /**
     * A part of the step computed outside the main graph: {@code forward} turns parameters and data
     * into the main graph's inputs {@code values}; the main graph also outputs {@code grad:<value>}
     * for each; {@code backward} takes those gradients (inputs named {@code grad:<value>}) and data
     * and outputs {@code grad:<parameter>} for the parameters only it uses.
     * @param forward the forward session.
     * @param backward the backward session.
     * @param values the offloaded values and their shapes.
     */
    public record Offload(Session forward, Session backward, Map<String, long[]> values) {
    }

    /**
     * @param session a session over a graph whose outputs include {@code grad:<name>} for each parameter.
     * @param params the parameters, fed as inputs by name.
     */
    public TrainingStep(Session session, List<Parameter> params) {
        this(session, params, null, null);
    }

    /**
     * @param session the main graph's session.
     * @param params every parameter; each has its gradient in the main graph or in the offload's backward graph.
     * @param offload the offloaded part, or null.
     * @param env the environment for the offloaded gradients' buffers (null without offload).
     */
    public TrainingStep(Session session, List<Parameter> params, Offload offload, ai.onnxruntime.OrtEnvironment env) {
        this.session = session;
        this.offload = offload;
        for (Parameter p : params) {
            byName.put(p.name(), p);
            String g = GRAD_PREFIX + p.name();
            if (session.spec().outputs().contains(g)) {
                pinned.put(g, p.gradTensor());
            } else if (offload != null && offload.backward().spec().outputs().contains(g)) {
                offloadPinned.put(g, p.gradTensor());
            } else {
                throw new IllegalArgumentException("No graph outputs " + g);
            }
        }
        if (offload != null) {
            for (Map.Entry<String, long[]> v : offload.values().entrySet()) {
                long n = 1;
                for (long dim : v.getValue()) {
                    n *= dim;
                }
                java.nio.FloatBuffer buf = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(4 * n))
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                try {
                    OnnxTensor t = OnnxTensor.createTensor(env, buf, v.getValue());
                    offloadGrads.put(GRAD_PREFIX + v.getKey(), t);
                    pinned.put(GRAD_PREFIX + v.getKey(), t);
                } catch (ai.onnxruntime.OrtException e) {
                    throw new EngineException("Cannot allocate the gradient of " + v.getKey(), e);
                }
            }
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
        try (OrtSession.Result forward = offload == null ? null : offload.forward().run(inputs(offload.forward().spec(), data, Map.of()), Map.of())) {
            Map<String, OnnxTensorLike> projected = new HashMap<>();
            if (forward != null) {
                for (String v : offload.values().keySet()) {
                    projected.put(v, (OnnxTensor) forward.get(v).orElseThrow());
                }
            }
            try (OrtSession.Result r = session.run(inputs(session.spec(), data, projected), pinned)) {
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    if (!e.getKey().startsWith(GRAD_PREFIX)) {
                        scalars.put(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer().get(0));
                    }
                }
            }
        }
        if (offload != null) {
            try (OrtSession.Result r = offload.backward().run(inputs(offload.backward().spec(), data, offloadGrads), offloadPinned)) {
                r.size();
            }
        }
        return scalars;
    }

    /** A session's inputs: from {@code extra}, then {@code data}, then the parameters' values, by name. */
    private Map<String, OnnxTensorLike> inputs(GraphSpec spec, Map<String, ? extends OnnxTensorLike> data,
                                               Map<String, ? extends OnnxTensorLike> extra) {
        Map<String, OnnxTensorLike> out = new HashMap<>();
        for (String k : spec.inputs().keySet()) {
            OnnxTensorLike t = extra.get(k);
            if (t == null) {
                t = data.get(k);
            }
            if (t == null && byName.containsKey(k)) {
                t = byName.get(k).valueTensor();
            }
            if (t != null) {
                out.put(k, t);
            }
        }
        return out;
    }

    @Override
    public void close() {
        offloadGrads.values().forEach(OnnxTensor::close);
        if (offload != null) {
            offload.forward().close();
            offload.backward().close();
        }
        session.close();
    }
}
