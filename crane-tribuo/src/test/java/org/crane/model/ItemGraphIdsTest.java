package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.InteractionGraph;
import org.crane.graph.ScaledCoo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CraneConfig#itemGraphIds()}: the item representation gains {@code S^L_ii EI} (the ego item
 * ID embeddings propagated over the item-item graph) and nothing else changes. Checked on the
 * embedding graph in ONNX Runtime against the same network without the switch and a Java product.
 */
class ItemGraphIdsTest {
    @Test
    void itemsGainTheIdEmbeddingsPropagatedOverTheItemGraphAndUsersAreUnchanged() {
        Random rnd = new Random(7);
        int m = 12;
        int n = 10;
        int d = 8;
        int[] dims = {5, 3};
        int layers = 2;
        int[][] items = new int[m][];
        for (int u = 0; u < m; u++) {
            items[u] = rnd.ints(2 + rnd.nextInt(4), 0, n).distinct().sorted().toArray();
        }
        InteractionGraph g = new InteractionGraph(m, n, items);
        List<CooMatrix> graphs = new ArrayList<>();
        for (int k = 0; k < dims.length; k++) {
            graphs.add(randomNeighbours(rnd, n, 3));
        }
        ScaledCoo s = SemanticGraph.stack(graphs, new double[]{0.3, 0.7}, dims.length);
        CraneConfig off = new CraneConfig(d, 1, 2, false, true, 2, layers, 0.2f, 0.01f, 1e-4f, false);
        CraneConfig on = new CraneConfig(d, 1, 2, false, true, 2, layers, 0.2f, 0.01f, 1e-4f, true);
        CraneNetwork netOff = new CraneNetwork(off, m, n, dims);
        CraneNetwork netOn = new CraneNetwork(on, m, n, dims);
        assertEquals(netOff.parameterShapes().keySet(), netOn.parameterShapes().keySet(), "the switch adds no parameter");
        Map<String, float[]> init = netOff.initialValues(new SplittableRandom(11));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        TestFeeds.parameters(env, feed, netOff, init);
        feed.putAll(Tensors.scaled(env, GraphInputs.ADJ, g.normalizedAdjacency()));
        feed.putAll(Tensors.scaled(env, GraphInputs.ITEM_GRAPH, s));
        feed.putAll(Tensors.coo(env, GraphInputs.USER_MEAN, g.userMeanMatrix()));
        TestFeeds.randomFeatures(env, feed, rnd, n, dims);
        float[] usersOff;
        float[] itemsOff;
        float[] usersOn;
        float[] itemsOn;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT);
             Session a = engine.open(netOff.embeddingGraph());
             Session b = engine.open(netOn.embeddingGraph())) {
            usersOff = a.runFloat(a.spec().inputsFrom(feed::get), CraneNetwork.USER_EMB);
            itemsOff = a.runFloat(a.spec().inputsFrom(feed::get), CraneNetwork.ITEM_EMB);
            usersOn = b.runFloat(b.spec().inputsFrom(feed::get), CraneNetwork.USER_EMB);
            itemsOn = b.runFloat(b.spec().inputsFrom(feed::get), CraneNetwork.ITEM_EMB);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }

        for (int q = 0; q < usersOff.length; q++) {
            assertEquals(usersOff[q], usersOn[q], 1e-6, "user entry " + q);
        }
        // S^L EI in Java: S X = [A_1 .. A_K] diag(w) [X; ..; X]
        CooMatrix stacked = s.toCoo();
        float[] h = init.get("EI");
        for (int l = 0; l < layers; l++) {
            float[] copies = new float[dims.length * n * d];
            for (int k = 0; k < dims.length; k++) {
                System.arraycopy(h, 0, copies, k * n * d, n * d);
            }
            h = stacked.multiply(copies, d);
        }
        double norm = 0;
        for (int q = 0; q < h.length; q++) {
            norm = Math.max(norm, Math.abs(h[q]));
            assertEquals(h[q], itemsOn[q] - itemsOff[q], 1e-5, "item entry " + q);
        }
        assertTrue(norm > 1e-3, "the propagated ID embeddings are not negligible: " + norm);
    }

    /** Each item: itself and {@code k - 1} other random items, every entry 1/k. */
    private static CooMatrix randomNeighbours(Random rnd, int n, int k) {
        int[] row = new int[n * k];
        int[] col = new int[n * k];
        float[] v = new float[n * k];
        for (int i = 0; i < n; i++) {
            int self = i;
            int[] nb = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(i),
                    rnd.ints(0, n).filter(j -> j != self).distinct().limit(k - 1)).toArray();
            for (int q = 0; q < k; q++) {
                row[i * k + q] = i;
                col[i * k + q] = nb[q];
                v[i * k + q] = 1f / k;
            }
        }
        return new CooMatrix(n, n, row, col, v);
    }
}
