package org.crane.model;

import ai.onnxruntime.OnnxTensor;
import org.crane.engine.EngineConfig;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.KnnGraphBuilder;
import org.crane.graph.ScaledCoo;
import org.crane.onnx.DType;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemanticGraphTest {
    /**
     * The ONNX Runtime path (tiles of 1024 x 8192 over raw rows, cosine applied afterwards) against
     * the plain-Java scorer: same neighbour sets for every item. 2,500 items make the sweep cross
     * row-block boundaries; clustered data keeps near-ties out so float rounding cannot reorder them.
     */
    @Test
    void ortKnnEqualsThePlainJavaScorer() {
        SplittableRandom rnd = new SplittableRandom(17);
        int n = 2500;
        int dim = 48;
        float[] x = new float[n * dim];
        float[][] centres = new float[40][dim];
        for (float[] c : centres) {
            for (int q = 0; q < dim; q++) {
                c[q] = (float) rnd.nextGaussian();
            }
        }
        for (int r = 0; r < n; r++) {
            float[] c = centres[rnd.nextInt(centres.length)];
            float scale = 0.5f + 3 * (float) rnd.nextDouble(); // cosine must ignore the norm
            for (int q = 0; q < dim; q++) {
                x[r * dim + q] = scale * (c[q] + 0.6f * (float) rnd.nextGaussian());
            }
        }
        int k = 8;
        CooMatrix want = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(x, dim), k);
        CooMatrix got;
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT)) {
            got = SemanticGraph.knn(engine, x, n, dim, k);
        }
        assertEquals(n * k, got.nnz());
        assertArrayEquals(want.row(), got.row());
        int differentOrder = 0;
        for (int r = 0; r < n; r++) {
            int[] w = Arrays.copyOfRange(want.col(), r * k, (r + 1) * k);
            int[] g = Arrays.copyOfRange(got.col(), r * k, (r + 1) * k);
            assertEquals(r, g[0], "item " + r + " is its own first neighbour");
            differentOrder += Arrays.equals(w, g) ? 0 : 1;
            Arrays.sort(w);
            Arrays.sort(g);
            assertArrayEquals(w, g, "neighbours of item " + r);
        }
        assertEquals(0, differentOrder, "items whose neighbours come in another order");
        assertArrayEquals(want.value(), got.value());
    }

    /**
     * The stacked form the network multiplies ([A_1 A_2 (empty)] diag(w) times three copies of X,
     * in ONNX Runtime) equals the weighted sum of the kNN graphs times X computed in plain Java,
     * overlapping neighbours included; a graph with unequal entries is refused.
     */
    @Test
    void stackedGraphTimesCopiesEqualsWeightedSum() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 300;
        int d = 8;
        CooMatrix a1 = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(gaussian(rnd, n * 6), 6), 5);
        CooMatrix a2 = KnnGraphBuilder.build(KnnGraphBuilder.javaCosine(gaussian(rnd, n * 4), 4), 7);
        double[] w = {0.1, 0.9};
        ScaledCoo s = SemanticGraph.stack(List.of(a1, a2), w, 3);
        assertEquals(n * 5 + n * 7, s.nnz());
        assertEquals(3 * n, s.cols());
        float[] x = gaussian(rnd, n * d);
        float[] want = a1.scale(0.1f).plus(a2.scale(0.9f)).multiply(x, d);
        Program p = new Program();
        SparseInput in = SparseInput.scaled(p, GraphInputs.ITEM_GRAPH, n, 3L * n);
        Tensor xt = p.input("x", DType.FLOAT, n, d);
        Tensor y = in.times(p.concat(0, Collections.nCopies(3, xt)));
        try (OrtEngine engine = new OrtEngine(EngineConfig.DEFAULT.withThreads(1));
             Session session = engine.open(OnnxGraphWriter.write("stacked", Map.of("y", y), Map.of()))) {
            Map<String, OnnxTensor> feed = new HashMap<>(Tensors.scaled(engine.env(), GraphInputs.ITEM_GRAPH, s));
            feed.put("x", Tensors.floats(engine.env(), x, n, d));
            float[] got = session.runFloat(feed, "y");
            for (int q = 0; q < want.length; q++) {
                assertTrue(Math.abs(got[q] - want[q]) <= 1e-5 * (1 + Math.abs(want[q])), "entry " + q + ": " + got[q] + " vs " + want[q]);
            }
            feed.values().forEach(OnnxTensor::close);
        }
        CooMatrix uneven = new CooMatrix(2, 2, new int[]{0, 1}, new int[]{1, 0}, new float[]{0.5f, 0.25f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SemanticGraph.stack(List.of(uneven), new double[]{1}, 1));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }

    private static float[] gaussian(SplittableRandom rnd, int size) {
        float[] v = new float[size];
        for (int q = 0; q < size; q++) {
            v[q] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
