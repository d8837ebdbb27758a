package org.crane.engine;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How sessions are configured.
 * @param intraOpThreads threads per operator; 0 means "auto" (the number of physical cores).
 * @param optLevel ONNX Runtime's graph optimisation level.
 * @param provider the execution provider requested.
 * @param cudaDevice the CUDA device id when {@code provider} is CUDA.
 */
public record EngineConfig(int intraOpThreads, OptLevel optLevel, ExecutionProvider provider, int cudaDevice) {

    /** Auto threads (one per physical core: 2 on the 2-core machines here, measured 1.5-1.9x faster than 1), all optimisations, CPU. */
    public static final EngineConfig DEFAULT = new EngineConfig(0, OptLevel.ALL_OPT, ExecutionProvider.CPU, 0);

    /** Validates. */
    public EngineConfig {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = auto), got " + intraOpThreads);
        }
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("cudaDevice must be >= 0, got " + cudaDevice);
        }
    }

    /**
     * @param jobs trainings running at once in this process.
     * @return the intra-op threads each gets: its share of the logical cores, at least one.
     */
    public static int threadsPerJob(int jobs) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }

    /**
     * @param threads thread count, or 0 for auto.
     * @return a copy with that thread count.
     */
    public EngineConfig withThreads(int threads) {
        return new EngineConfig(threads, optLevel, provider, cudaDevice);
    }

    /**
     * @param p the provider.
     * @return a copy with that provider.
     */
    public EngineConfig withProvider(ExecutionProvider p) {
        return new EngineConfig(intraOpThreads, optLevel, p, cudaDevice);
    }

    /** @return the thread count to use: the configured one, or the number of physical cores for auto. */
    public int resolvedThreads() {
        return intraOpThreads > 0 ? intraOpThreads : PhysicalCores.count();
    }
}
