package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.data.FeatureMatrix;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.graph.ScaledCoo;
import org.crane.model.CraneNetwork;
import org.crane.model.GraphInputs;
import org.crane.model.SemanticGraph;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny training problem for comparing training graphs on one batch: 40 users with 1 to 5 items each
 * out of 25, two random modalities (7 and 5 wide), and the graph inputs the network reads.
 */
final class TinyTrainingData {
    static final int M = 40;
    static final int N = 25;
    static final int[] DIMS = {7, 5};

    /** Each user's sorted training items. */
    final int[][] items = new int[M][];
    /** The (user, item) training pairs. */
    final int[] pairUser;
    final int[] pairItem;
    /** The modalities. */
    final List<FeatureMatrix> features = new ArrayList<>();
    /** The normalised user-item adjacency. */
    final ScaledCoo adjacency;
    /** Features (and transposes), adjacency, user means and a random two-block item graph, by input name. */
    final Map<String, OnnxTensor> fixed = new HashMap<>();

    /** @param rnd the stream every random choice is drawn from, in a fixed order. */
    TinyTrainingData(SplittableRandom rnd) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Integer> pu = new ArrayList<>();
        List<Integer> pi = new ArrayList<>();
        for (int u = 0; u < M; u++) {
            items[u] = rnd.ints(1 + rnd.nextInt(5), 0, N).distinct().sorted().toArray();
            for (int i : items[u]) {
                pu.add(u);
                pi.add(i);
            }
        }
        pairUser = pu.stream().mapToInt(Integer::intValue).toArray();
        pairItem = pi.stream().mapToInt(Integer::intValue).toArray();
        for (int m = 0; m < DIMS.length; m++) {
            float[] raw = new float[N * DIMS[m]];
            for (int q = 0; q < raw.length; q++) {
                raw[q] = (float) rnd.nextGaussian();
            }
            FeatureMatrix f = new FeatureMatrix("m" + m, N, DIMS[m], raw);
            features.add(f);
            fixed.put(GraphInputs.features(m), Tensors.floats(env, raw, N, DIMS[m]));
            fixed.put(GraphInputs.featuresTransposed(m), Tensors.floats(env, f.transposedValues(), DIMS[m], N));
        }
        InteractionGraph g = new InteractionGraph(M, N, items);
        adjacency = g.normalizedAdjacency();
        fixed.putAll(Tensors.scaled(env, GraphInputs.ADJ, adjacency));
        fixed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        List<CooMatrix> graphs = new ArrayList<>();
        for (int m = 0; m < DIMS.length; m++) {
            int k = 3;
            int[] rows = new int[N * k];
            int[] cols = new int[N * k];
            float[] vals = new float[N * k];
            for (int q = 0; q < rows.length; q++) {
                rows[q] = q / k;
                cols[q] = q % k == 0 ? q / k : rnd.nextInt(N);
                vals[q] = 1f / k;
            }
            graphs.add(new CooMatrix(N, N, rows, cols, vals));
        }
        fixed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, SemanticGraph.stack(graphs, new double[]{0.3, 0.7}, DIMS.length)));
    }

    /**
     * One training step of a network from given parameter values.
     * @param net the network.
     * @param init parameter values by name.
     * @param data every non-parameter input.
     * @param grads receives each parameter's gradient.
     * @return the loss.
     */
    static float run(CraneNetwork net, Map<String, float[]> init, Map<String, OnnxTensor> data, Map<String, float[]> grads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             ParameterStore store = new ParameterStore(env)) {
            for (Map.Entry<String, long[]> e : net.parameterShapes().entrySet()) {
                store.add(e.getKey(), e.getValue(), init.get(e.getKey()));
            }
            float loss;
            try (TrainingStep step = new TrainingStep(engine.open(net.trainingGraph()), store.all())) {
                loss = step.run(data).get(CraneNetwork.LOSS);
            }
            copyGradients(store, grads);
            return loss;
        }
    }

    /**
     * @param store parameters after a step.
     * @param grads receives a copy of each one's gradient by name.
     */
    static void copyGradients(ParameterStore store, Map<String, float[]> grads) {
        for (Parameter p : store.all()) {
            FloatBuffer g = p.grad().duplicate();
            float[] v = new float[p.size()];
            g.rewind();
            g.get(v);
            grads.put(p.name(), v);
        }
    }
}
