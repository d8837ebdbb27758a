package org.crane.engine;

import ai.onnxruntime.OnnxSparseTensor;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.crane.onnx.GraphSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** An open ONNX Runtime session for one graph. Thread-safe for {@link #run}; close it when done. */
public final class Session implements AutoCloseable {
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final GraphSpec spec;
    private final OneHotInputs oneHotBuffers = new OneHotInputs();
    private final ReentrantLock oneHotLock = new ReentrantLock();

    Session(OrtSession session, OrtSession.SessionOptions options, GraphSpec spec) {
        this.session = session;
        this.options = options;
        this.spec = spec;
    }

    /** @return the graph this session runs. */
    public GraphSpec spec() {
        return spec;
    }

    /**
     * Runs the graph.
     * @param inputs every graph input by name.
     * @param pinned outputs to write into preallocated tensors (may be empty).
     * @return the result; close it (pinned outputs stay valid and owned by the caller).
     */
    public OrtSession.Result run(Map<String, ? extends OnnxTensorLike> inputs, Map<String, ? extends OnnxValue> pinned) {
        if (spec.oneHots().isEmpty()) {
            return runOrt(inputs, pinned, inputs.keySet());
        }
        // this session's one-hot buffers are reused unless another thread is running it right now
        boolean own = oneHotLock.tryLock();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, OnnxSparseTensor> oneHots = own ? oneHotBuffers.build(env, spec, inputs) : OneHotInputs.fresh(env, spec, inputs);
            try {
                Map<String, OnnxTensorLike> feed = new HashMap<>(inputs);
                feed.putAll(oneHots);
                return runOrt(feed, pinned, inputs.keySet());
            } finally {
                oneHots.values().forEach(OnnxSparseTensor::close);
            }
        } finally {
            if (own) {
                oneHotLock.unlock();
            }
        }
    }

    private OrtSession.Result runOrt(Map<String, ? extends OnnxTensorLike> feed, Map<String, ? extends OnnxValue> pinned,
                                     java.util.Set<String> fedNames) {
        try {
            if (pinned.isEmpty()) {
                return session.run(feed);
            }
            java.util.Set<String> requested = new java.util.LinkedHashSet<>(spec.outputs());
            requested.removeAll(pinned.keySet());
            return session.run(feed, requested, pinned);
        } catch (OrtException e) {
            java.util.logging.Logger.getLogger(Session.class.getName()).fine(() -> "graph inputs fed: " + fedNames);
            throw new EngineException("ONNX Runtime could not run the computation (does the model or checkpoint match the data?)", e);
        }
    }

    /**
     * Runs the graph for outputs written into preallocated tensors only.
     * @param inputs every graph input by name.
     * @param pinned the outputs wanted, each into its tensor (owned by the caller).
     */
    public void runInto(Map<String, ? extends OnnxTensorLike> inputs, Map<String, ? extends OnnxValue> pinned) {
        try (OrtSession.Result r = run(inputs, pinned)) {
            r.size();
        }
    }

    /**
     * Convenience: runs and copies one float output.
     * @param inputs the inputs.
     * @param output the output name.
     * @return its values, row-major.
     */
    public float[] runFloat(Map<String, ? extends OnnxTensorLike> inputs, String output) {
        try (OrtSession.Result r = run(inputs, Map.of())) {
            OnnxTensor t = (OnnxTensor) r.get(output).orElseThrow(() -> new IllegalArgumentException("No output " + output));
            java.nio.FloatBuffer fb = t.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    @Override
    public void close() {
        try {
            if (System.getProperty(OrtEngine.PROFILE_PROPERTY) != null) {
                session.endProfiling();
            }
            session.close();
            options.close();
        } catch (OrtException e) {
            throw new EngineException("Closing a session failed", e);
        }
    }
}
