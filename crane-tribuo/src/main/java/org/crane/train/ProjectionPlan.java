package org.crane.train;

import org.crane.data.ScaledFeatures;
import org.crane.engine.OrtEngine;
import org.crane.engine.SparseKernel;
import org.crane.engine.SparseProjection;
import org.crane.engine.SparseRows;
import org.crane.engine.TrainingStep;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.ProjectionGraphs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Where each modality's projection {@code X_m = Xraw_m W_m + b_m} runs when it is computed outside
 * the training graph: sparse raw features (ReLU CNN features are mostly zeros) in Java over their
 * non-zeros ({@link SparseProjection}), the others by ONNX Runtime's dense GEMM in sessions of their
 * own. The maths is the same either way.
 */
final class ProjectionPlan {
    private static final Logger logger = Logger.getLogger(ProjectionPlan.class.getName());
    /**
     * Largest fraction of non-zeros for which the sparse product is used. On Baby's image shape
     * (7050 x 4096, d = 64, 2 cores) it takes ~20 ms per direction at 20 % non-zeros against ~40 ms
     * for the dense GEMM, and grows with the non-zeros.
     */
    static final double MAX_DENSITY = 0.4;

    private final Optional<SparseKernel> kernel;
    private final boolean[] sparse;

    private ProjectionPlan(Optional<SparseKernel> kernel, boolean[] sparse) {
        this.kernel = kernel;
        this.sparse = sparse;
    }

    /**
     * @param features each modality as the network sees it (scaled on the fly).
     * @param allowSparse whether the sparse path may be used (offloaded projections on the CPU).
     * @param width the embedding size d.
     * @return the plan.
     */
    static ProjectionPlan choose(List<ScaledFeatures> features, boolean allowSparse, int width) {
        Optional<SparseKernel> kernel = allowSparse ? SparseKernel.vectorised(width) : Optional.empty();
        boolean[] sparse = new boolean[features.size()];
        for (int k = 0; k < sparse.length; k++) {
            ScaledFeatures f = features.get(k);
            if (kernel.isPresent()) {
                double density = f.density();
                sparse[k] = density <= MAX_DENSITY;
                int m = k;
                logger.info(() -> String.format(Locale.ROOT, "Modality %s (%d x %d): %.1f %% non-zero, projection %s",
                        f.name(), f.rows(), f.cols(), 100 * density,
                        sparse[m] ? "over its non-zeros in Java" : "by dense GEMM"));
            }
        }
        return new ProjectionPlan(kernel, sparse);
    }

    /**
     * @param k modality index.
     * @return whether modality k's projection runs sparse.
     */
    boolean isSparse(int k) {
        return sparse[k];
    }

    /**
     * @param engine the engine, for the dense projections' sessions.
     * @param net the network (offloading layout).
     * @param features each modality as the network sees it; a sparse one's non-zeros are stored once, read row by row.
     * @return the step's offloaded parts: one for the dense modalities, one for the sparse ones (each if any).
     */
    List<TrainingStep.Offload> offloads(OrtEngine engine, CraneNetwork net, List<ScaledFeatures> features) {
        List<TrainingStep.Offload> out = new ArrayList<>();
        int[] dense = IntStream.range(0, sparse.length).filter(k -> !sparse[k]).toArray();
        int[] sparseMods = IntStream.range(0, sparse.length).filter(k -> sparse[k]).toArray();
        if (dense.length > 0) {
            out.add(new TrainingStep.SessionOffload(engine.open(net.projectionForwardGraph(dense)),
                    engine.open(net.projectionBackwardGraph(dense)), net.offloadedValues(dense)));
        }
        if (sparseMods.length > 0) {
            List<SparseProjection.Modality> mods = new ArrayList<>();
            for (int k : sparseMods) {
                ScaledFeatures f = features.get(k);
                mods.add(new SparseProjection.Modality(GraphInputs.projected(k), ProjectionGraphs.weight(k), ProjectionGraphs.bias(k),
                        SparseRows.of(f.rows(), f.cols(), SparseProjection.BLOCK, f::row)));
            }
            out.add(new SparseProjection(kernel.orElseThrow(), mods, net.config().embeddingSize()));
        }
        return out;
    }
}
