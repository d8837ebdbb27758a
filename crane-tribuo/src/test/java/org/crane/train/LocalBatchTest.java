package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.graph.CooMatrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local rows of the adjacency a step reads: those of its nodes, entries in the column order {@link FirstLayer} needs. */
class LocalBatchTest {
    @Test
    void theLocalRowsAreTheAdjacencysRowsInColumnOrder() {
        TinyTrainingData tiny = new TinyTrainingData(new SplittableRandom(23));
        int m = TinyTrainingData.M;
        int n = TinyTrainingData.N;
        CooMatrix adj = tiny.adjacency.toCoo();
        LocalBatch batch = new LocalBatch(m, n);
        batch.adjacency(adj);
        long[] users = {3, 0, 7};
        long[] pos = {2, 5, 2};
        long[] neg = {9, 1, 4};
        LocalBatch.Step s = batch.build(OrtEnvironment.getEnvironment(), pos, neg, users, new long[]{2, 5});
        try {
            for (CooMatrix rows : new CooMatrix[]{s.userRows(), s.itemRows()}) {
                for (int e = 1; e < rows.nnz(); e++) {
                    assertTrue(rows.col()[e - 1] <= rows.col()[e], "column order at entry " + e);
                }
            }
            // the same products as the full adjacency's rows of those nodes
            SplittableRandom rnd = new SplittableRandom(1);
            float[] x = new float[(m + n) * 3];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            float[] full = adj.multiply(x, 3);
            float[] itemsX = Arrays.copyOfRange(x, m * 3, x.length);
            float[] usersX = Arrays.copyOfRange(x, 0, m * 3);
            float[] gotU = s.userRows().multiply(itemsX, 3);
            for (int r = 0; r < users.length; r++) {
                assertArrayEquals(Arrays.copyOfRange(full, (int) users[r] * 3, (int) users[r] * 3 + 3),
                        Arrays.copyOfRange(gotU, r * 3, r * 3 + 3), 1e-5f, "user " + users[r]);
            }
            float[] gotI = s.itemRows().multiply(usersX, 3);
            for (int r = 0; r < s.items().length; r++) {
                int node = m + s.items()[r];
                assertArrayEquals(Arrays.copyOfRange(full, node * 3, node * 3 + 3), Arrays.copyOfRange(gotI, r * 3, r * 3 + 3), 1e-5f,
                        "item " + s.items()[r]);
            }
        } finally {
            s.inputs().values().forEach(OnnxTensor::close);
        }
    }
}
