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
 * outputs (the loss and its parts) are returned. One call = one {@code OrtSession.run}.
 */
public final class TrainingStep implements AutoCloseable {
    /** Prefix of gradient output names. */
    public static final String GRAD_PREFIX = "grad:";

    private final Session session;
    private final List<Parameter> params;
    private final Map<String, OnnxTensor> pinned = new HashMap<>();

    /**
     * @param session a session over a graph whose outputs include {@code grad:<name>} for each parameter.
     * @param params the parameters, fed as inputs by name.
     */
    public TrainingStep(Session session, List<Parameter> params) {
        this.session = session;
        this.params = List.copyOf(params);
        for (Parameter p : params) {
            if (!session.spec().outputs().contains(GRAD_PREFIX + p.name())) {
                throw new IllegalArgumentException("Graph has no output " + GRAD_PREFIX + p.name());
            }
            pinned.put(GRAD_PREFIX + p.name(), p.gradTensor());
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
        Map<String, OnnxTensorLike> in = new HashMap<>(data);
        GraphSpec spec = session.spec();
        for (Parameter p : params) {
            if (spec.inputs().containsKey(p.name())) {
                in.put(p.name(), p.valueTensor());
            }
        }
        Map<String, Float> scalars = new LinkedHashMap<>();
        try (OrtSession.Result r = session.run(in, pinned)) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                if (!e.getKey().startsWith(GRAD_PREFIX)) {
                    java.nio.FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    scalars.put(e.getKey(), fb.get(0));
                }
            }
        }
        return scalars;
    }

    @Override
    public void close() {
        session.close();
    }
}
