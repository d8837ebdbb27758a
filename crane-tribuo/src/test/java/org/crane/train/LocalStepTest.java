package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.Optimizer;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.TrainingStep;
import org.crane.model.CraneConfig;
import org.crane.model.CraneNetwork;
import org.crane.model.LocalNetwork;
import org.crane.model.SemanticNetwork;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local steps ({@link LocalSteps}, {@link LocalNetwork}) against the exact training graph on one
 * batch: with at most one user-item layer nothing is read from the history and the local step is
 * the exact step, loss and every gradient; with more, a refresh gives the exact loss, a stale
 * history does not, and the next refresh restores it.
 */
class LocalStepTest {
    private static final int N = TinyTrainingData.N;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final TinyTrainingData tiny = new TinyTrainingData(new SplittableRandom(23));

    @Test
    void withNothingDroppedTheLocalStepIsTheExactStep() {
        // profiles, one item-graph level, the paper's joint coupling
        exactOnFullBatch(new CraneConfig(8, 2, 2, false, true, 1, 1, 0.3f, 0.5f, 1e-3f, false));
        // no profiles, two item-graph levels, ID embeddings over the item graph, residual coupling
        exactOnFullBatch(new CraneConfig(8, 1, 2, false, false, 0, 2, 0.3f, 0.5f, 1e-3f, true, CraneConfig.Coupling.RESIDUAL));
    }

    private void exactOnFullBatch(CraneConfig cfg) {
        CraneNetwork exact = new CraneNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, new CraneNetwork.Layout(false, true));
        Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
        Map<String, OnnxTensor> batch = batch(5, 30);
        Map<String, OnnxTensor> data = with(batch);
        try {
            Map<String, float[]> gE = new HashMap<>();
            float lossE = TinyTrainingData.run(exact, init, data, gE);
            Map<String, float[]> gL = new HashMap<>();
            float lossL;
            try (Local local = new Local(cfg, exact, init, 2)) {
                lossL = local.step(0, data, gL);
            }
            assertSameStep(lossE, gE, lossL, gL, cfg.toString());
        } finally {
            batch.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void aRefreshGivesTheExactLossAndAStaleHistoryDoesNot() {
        CraneConfig cfg = new CraneConfig(8, 2, 2, false, true, 3, 1, 0.3f, 0.5f, 1e-3f, false, CraneConfig.Coupling.RESIDUAL);
        CraneNetwork exact = new CraneNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, new CraneNetwork.Layout(false, true));
        Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
        Map<String, float[]> moved = new HashMap<>();
        init.forEach((name, v) -> {
            float[] w = v.clone();
            for (int q = 0; q < w.length; q++) {
                w[q] = w[q] * 1.3f + 0.01f * (q % 7);
            }
            moved.put(name, w);
        });
        Map<String, OnnxTensor> batch = batch(5, 30);
        Map<String, OnnxTensor> data = with(batch);
        try (Local local = new Local(cfg, exact, init, 2)) {
            Map<String, float[]> gE = new HashMap<>();
            float lossE = TinyTrainingData.run(exact, init, data, gE);
            Map<String, float[]> gL = new HashMap<>();
            float refreshed = local.step(0, data, gL);
            assertEquals(lossE, refreshed, 1e-5f * Math.abs(lossE), "a refresh restores exactness");
            assertFalse(java.util.Arrays.equals(gE.get("EU"), gL.get("EU")), "the deeper layers' gradients run through the history");
            assertArraysClose(gE.get("WZ"), gL.get("WZ"), "the semantic view is exact");

            float lossMoved = TinyTrainingData.run(exact, moved, data, new HashMap<>());
            local.set(moved);
            float stale = local.step(1, data, new HashMap<>());
            assertTrue(Math.abs(stale - lossMoved) > 1e-4f * Math.abs(lossMoved), "a stale history: " + stale + " vs exact " + lossMoved);
            float again = local.step(2, data, new HashMap<>());
            assertEquals(lossMoved, again, 1e-5f * Math.abs(lossMoved), "the next refresh restores exactness");
        } finally {
            batch.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void aCachedSemanticViewGivesTheLossAndEveryGradientOfTheLocalStep() {
        // with one user-item layer the local step is the exact step (above), so this is the exact step too
        for (CraneConfig cfg : new CraneConfig[]{new CraneConfig(8, 2, 2, false, true, 1, 1, 0.3f, 0.5f, 1e-3f, false),
                new CraneConfig(8, 2, 2, false, true, 3, 2, 0.3f, 0.5f, 1e-3f, true, CraneConfig.Coupling.RESIDUAL),
                new CraneConfig(8, 1, 2, false, false, 0, 2, 0.3f, 0.5f, 1e-3f, true, CraneConfig.Coupling.RESIDUAL)}) {
            CraneNetwork exact = new CraneNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, new CraneNetwork.Layout(false, true));
            Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
            Map<String, OnnxTensor> batch = batch(5, 30);
            Map<String, OnnxTensor> data = with(batch);
            try {
                for (boolean javaProfiles : new boolean[]{false, true}) {
                    try (Local plain = new Local(cfg, exact, init, 2); Local cached = new Local(cfg, exact, init, 2, NO_STEP, 1, javaProfiles)) {
                        Map<String, float[]> gP = new HashMap<>();
                        float lossP = plain.step(0, data, gP);
                        float lossC = cached.step(0, data, new HashMap<>());
                        Map<String, float[]> gC = new HashMap<>();
                        cached.endEpoch(data, gC);
                        assertSameStep(lossP, gP, lossC, gC, cfg + (javaProfiles ? ", profiles in Java" : ", profiles in the graphs"));
                    }
                }
            } finally {
                batch.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void theSemanticUpdateIsTheMeanOfTheStepsGradientsAndTheNextViewIsExact() {
        theSemanticUpdateIsTheMeanOfTheStepsGradientsAndTheNextViewIsExact(false);
        theSemanticUpdateIsTheMeanOfTheStepsGradientsAndTheNextViewIsExact(true);
    }

    private void theSemanticUpdateIsTheMeanOfTheStepsGradientsAndTheNextViewIsExact(boolean javaProfiles) {
        CraneConfig cfg = new CraneConfig(8, 2, 2, false, true, 1, 1, 0.3f, 0.5f, 1e-3f, false);
        CraneNetwork exact = new CraneNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, new CraneNetwork.Layout(false, true));
        Map<String, float[]> init = exact.initialValues(new SplittableRandom(5), false);
        Map<String, OnnxTensor> a = batch(0, 25);
        Map<String, OnnxTensor> b = batch(25, 25);
        try (Local cached = new Local(cfg, exact, init, 2, new org.crane.engine.Adam(0.05f), 2, javaProfiles)) {
            Map<String, float[]> gA = new HashMap<>();
            Map<String, float[]> gB = new HashMap<>();
            TinyTrainingData.run(exact, init, with(a), gA);
            TinyTrainingData.run(exact, init, with(b), gB);
            cached.step(0, with(a), new HashMap<>());
            cached.step(1, with(b), new HashMap<>());
            assertArraysClose(init.get("WZ"), cached.values().get("WZ"), "the semantic parameters hold between updates");
            // the step that starts the next window applies the update, then reads a view recomputed at the new parameters
            float next = cached.step(2, with(a), new HashMap<>());
            Map<String, float[]> after = cached.values();
            assertFalse(java.util.Arrays.equals(init.get("WZ"), after.get("WZ")), "the update moved the semantic parameters");
            Map<String, float[]> g = new HashMap<>();
            TinyTrainingData.copyGradients(cached.store, g);
            for (String p : List.of("WZ", "WJ", "A0", "W0")) {
                float[] mean = new float[gA.get(p).length];
                for (int q = 0; q < mean.length; q++) {
                    mean[q] = (gA.get(p)[q] + gB.get(p)[q]) / 2;
                }
                assertArraysClose(mean, g.get(p), "the update's gradient of " + p + " is the mean of the two steps'");
            }
            float exactNext = TinyTrainingData.run(exact, after, with(a), new HashMap<>());
            assertEquals(exactNext, next, 1e-5f * Math.abs(exactNext), "after an update the step reads the exact view");
        } finally {
            a.values().forEach(OnnxTensor::close);
            b.values().forEach(OnnxTensor::close);
        }
    }

    /** An optimiser that leaves the parameters as they are (the gradients stay in their buffers). */
    private static final Optimizer NO_STEP = new Optimizer() {
        @Override
        public void step(List<Parameter> params) {
        }

        @Override
        public long steps() {
            return 0;
        }

        @Override
        public void setSteps(long steps) {
        }
    };

    @Test
    void theLocalGraphKeepsEveryIntraOpThread() {
        // a scatter-add ONNX Runtime would run as ScatterND(add) makes the engine run the whole graph on one thread
        CraneConfig cfg = new CraneConfig(8, 2, 2, false, true, 3, 1, 0.3f, 0.5f, 1e-3f, true, CraneConfig.Coupling.RESIDUAL);
        assertFalse(new LocalNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, true, CraneNetwork.Parts.DEFAULT, false)
                .trainingGraph().scatterAdd());
        assertFalse(LocalNetwork.historyGraph(cfg, TinyTrainingData.M, N).scatterAdd());
        assertFalse(new LocalNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, true, CraneNetwork.Parts.DEFAULT, true)
                .trainingGraph().scatterAdd());
    }

    /** The same loss and the same gradient of every parameter. */
    private static void assertSameStep(float lossA, Map<String, float[]> gradsA, float lossB, Map<String, float[]> gradsB, String what) {
        assertEquals(lossA, lossB, 1e-5f * Math.abs(lossA), what);
        assertEquals(gradsA.keySet(), gradsB.keySet());
        for (String p : gradsA.keySet()) {
            assertArraysClose(gradsA.get(p), gradsB.get(p), "gradient of " + p + " with " + what);
        }
    }

    private static void assertArraysClose(float[] a, float[] b, String what) {
        double scale = 1e-30;
        for (float x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int q = 0; q < a.length; q++) {
            assertEquals(a[q], b[q], 1e-4 * scale, what + " [" + q + "]");
        }
    }

    /** A batch of {@code b} pairs from {@code start} (the caller closes it). */
    private Map<String, OnnxTensor> batch(int start, int b) {
        MinibatchAssembler assembler = new MinibatchAssembler(tiny.items, N, new NegativeSampler(tiny.items, IntStream.range(0, N).toArray()),
                true, true);
        return assembler.assemble(env, tiny.pairUser, tiny.pairItem, start, b, new SplittableRandom(9));
    }

    /** The tiny data's fixed inputs with a batch's. */
    private Map<String, OnnxTensor> with(Map<String, OnnxTensor> batch) {
        Map<String, OnnxTensor> data = new HashMap<>(tiny.fixed);
        data.putAll(batch);
        return data;
    }

    /** LocalSteps over the tiny data. */
    private final class Local implements AutoCloseable {
        private final OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
        private final ParameterStore store = new ParameterStore(env);
        private final TrainingStep step;
        private final LocalSteps steps;

        Local(CraneConfig cfg, CraneNetwork exact, Map<String, float[]> init, int every) {
            this(cfg, exact, init, every, null, 0, false);
        }

        /**
         * @param semanticOptimizer the semantic parameters' optimiser with a cached semantic view, or null for none.
         * @param semanticEvery steps between two semantic updates.
         * @param javaProfiles the cached view's user profiles by the sparse kernel rather than in its graphs.
         */
        Local(CraneConfig cfg, CraneNetwork exact, Map<String, float[]> init, int every, Optimizer semanticOptimizer, int semanticEvery,
              boolean javaProfiles) {
            for (Map.Entry<String, long[]> e : exact.parameterShapes().entrySet()) {
                store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
            }
            boolean cached = semanticOptimizer != null;
            LocalNetwork net = new LocalNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, false, CraneNetwork.Parts.DEFAULT, cached);
            List<Parameter> semantic = store.all().stream().filter(p -> exact.role(p.name()).semantic()).toList();
            List<Parameter> own = cached ? store.all().stream().filter(p -> !semantic.contains(p)).toList() : store.all();
            assertEquals(own.stream().map(Parameter::name).toList(), List.copyOf(net.parameterShapes().keySet()));
            step = new TrainingStep(engine.open(net.trainingGraph()), own);
            SemanticCache cache = null;
            if (cached) {
                UserProfiles profiles = !javaProfiles ? null : UserProfiles.of(cfg,
                        () -> new org.crane.graph.InteractionGraph(TinyTrainingData.M, N, tiny.items).userMeanMatrix(), true).orElse(null);
                SemanticNetwork sn = new SemanticNetwork(cfg, TinyTrainingData.M, N, TinyTrainingData.DIMS, false, exact.encoder(), profiles == null);
                cache = new SemanticCache(env, engine.open(sn.forwardGraph()), new TrainingStep(engine.open(sn.trainingGraph()), semantic),
                        store, semantic, semanticOptimizer, TinyTrainingData.M, N, cfg.embeddingSize(), semanticEvery, profiles);
            }
            steps = new LocalSteps(engine, step, cfg, store, TinyTrainingData.M, N, every, cache);
            steps.adjacency(tiny.adjacency);
        }

        /** Applies the pending semantic gradients and copies every gradient buffer. */
        void endEpoch(Map<String, OnnxTensor> data, Map<String, float[]> grads) {
            steps.endEpoch(env, data);
            TinyTrainingData.copyGradients(store, grads);
        }

        Map<String, float[]> values() {
            Map<String, float[]> v = new HashMap<>();
            store.all().forEach(p -> v.put(p.name(), p.copyValues()));
            return v;
        }

        void set(Map<String, float[]> values) {
            for (Parameter p : store.all()) {
                p.setValues(values.get(p.name()));
            }
        }

        float step(int stepInEpoch, Map<String, OnnxTensor> data, Map<String, float[]> grads) {
            float loss = steps.run(env, stepInEpoch, data);
            TinyTrainingData.copyGradients(store, grads);
            return loss;
        }

        @Override
        public void close() {
            steps.close();
            step.close();
            store.close();
            engine.close();
        }
    }
}
