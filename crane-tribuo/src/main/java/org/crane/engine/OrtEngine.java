package org.crane.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.crane.onnx.GraphSpec;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the ONNX Runtime environment and opens sessions with the configured options: intra-op
 * threads, optimisation level and execution provider. A CUDA request that cannot be met (CPU-only
 * runtime jar, no CUDA libraries, no device) logs one WARNING naming the reason and continues on
 * the CPU. Sessions are {@link AutoCloseable}; close them (and then the engine) deterministically.
 */
public final class OrtEngine implements AutoCloseable {
    private static final Logger logger = Logger.getLogger(OrtEngine.class.getName());

    /** System property: when set, every session writes ONNX Runtime's JSON profile with this path prefix. */
    public static final String PROFILE_PROPERTY = "crane.ort.profile";
    private static final java.util.concurrent.atomic.AtomicInteger PROFILED = new java.util.concurrent.atomic.AtomicInteger();

    private final OrtEnvironment env;
    private final EngineConfig config;
    private volatile ExecutionProvider active;
    private volatile String fallbackReason;

    /**
     * @param config the session configuration.
     */
    public OrtEngine(EngineConfig config) {
        this.env = OrtRuntime.environment();
        this.config = config;
        this.active = config.provider();
    }

    /** @return the ONNX Runtime environment (shared, process-wide). */
    public OrtEnvironment env() {
        return env;
    }

    /** @return the configuration. */
    public EngineConfig config() {
        return config;
    }

    /** @return the provider sessions actually run on (CPU after a CUDA fallback). */
    public ExecutionProvider activeProvider() {
        return active;
    }

    /** @return why CUDA was not used, or null when it was not requested or worked. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /**
     * Opens a session for a graph.
     * @param spec the graph.
     * @return the session.
     */
    public Session open(GraphSpec spec) {
        try {
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setOptimizationLevel(config.optLevel());
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            // A memory pattern plans one block for all of a run's intermediates and is kept per set of
            // input shapes: local steps feed new shapes every step, so patterns only accumulated (an
            // Electronics-shape run peaked 1.2 GB higher with them, at the same speed). The arena stays:
            // without it every large tensor is a fresh mmap whose pages fault in again on each run
            // (measured: the semantic updates 3.8x slower and the evaluation 5x).
            opts.setMemoryPatternOptimization(false);
            if (config.provider() == ExecutionProvider.CUDA && active == ExecutionProvider.CUDA) {
                try {
                    opts.addCUDA(config.cudaDevice());
                } catch (OrtException | RuntimeException e) {
                    fallbackReason = e.getMessage();
                    active = ExecutionProvider.CPU;
                    logger.warning("CUDA execution provider requested but unavailable (" + e.getMessage()
                            + "); running on the CPU provider instead");
                }
            }
            // the CUDA provider has no kernel for the sparse product of the one-hot form
            GraphSpec form = active == ExecutionProvider.CUDA ? spec.portableForm() : spec;
            int threads = config.resolvedThreads();
            if (form.scatterAdd() && threads > 1 && active == ExecutionProvider.CPU) {
                // ORT 1.29's CPU ScatterND(reduction=add) splits the updates across threads without
                // atomics: measured 1.2% of the sum lost on a 240k-entry propagation with 2 threads.
                // OnnxGraphWriter avoids it on the CPU (propagation by neighbour lists, other
                // scatter-adds as one-hot sparse products, see GraphSpec); only a scatter whose
                // indices are computed in the graph keeps it, and such a graph runs on one thread.
                // (Running such a graph's independent branches on 2 inter-op threads instead, ORT's
                // parallel executor, was measured slower here: 28.5 s against 26.1 s per Baby epoch.)
                logger.fine(() -> "Graph uses ScatterND(add); running it with 1 intra-op thread for correct sums");
                threads = 1;
            }
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            String profile = System.getProperty(PROFILE_PROPERTY);
            if (profile != null && !profile.isBlank()) {
                opts.enableProfiling(profile + "-" + PROFILED.incrementAndGet());
            }
            OrtSession s = env.createSession(form.model(), opts);
            int nodes = form.nodeCount();
            int used = threads;
            logger.log(Level.FINE, () -> "Opened session with " + nodes + " nodes on " + active + ", " + used + " threads");
            return new Session(s, opts, form);
        } catch (OrtException e) {
            throw new EngineException("Cannot create an ONNX Runtime session", e);
        }
    }

    @Override
    public void close() {
        // The OrtEnvironment is a process-wide singleton shared with Tribuo; closing it here would
        // break other users, so only sessions are closed (by their owners).
    }
}
