package org.crane.eval;

import org.crane.graph.CooMatrix;

import java.util.Arrays;

/**
 * How well an item-item graph anticipates held-out behaviour: over every pair (a, b) of a user's
 * training item a and one of the same user's held-out items b (b != a), the share of pairs in which
 * b is a neighbour of a in the graph. A modality whose kNN graph covers few more pairs than a random
 * graph of the same degree carries little that the interactions do not already say; the cosine kNN
 * graph of the training interactions themselves is the yardstick.
 * @param graph the graph's name.
 * @param pairs pairs counted.
 * @param covered pairs whose held-out item is a neighbour of the training item.
 * @param meanNeighbours mean number of neighbours per item, self excluded.
 */
public record GraphAgreement(String graph, long pairs, long covered, double meanNeighbours) {

    /** @return covered / pairs (0 when there are no pairs). */
    public double share() {
        return pairs == 0 ? 0 : (double) covered / pairs;
    }

    /**
     * @param name the graph's name.
     * @param graph N x N; an entry (a, b) makes b a neighbour of a (self entries are ignored).
     * @param train each user's training items.
     * @param heldOut each user's held-out items (same user order).
     * @return the agreement.
     * @throws IllegalArgumentException if the user counts differ or the graph is not square.
     */
    public static GraphAgreement of(String name, CooMatrix graph, int[][] train, int[][] heldOut) {
        if (train.length != heldOut.length) {
            throw new IllegalArgumentException(train.length + " users in train but " + heldOut.length + " held out");
        }
        if (graph.rows() != graph.cols()) {
            throw new IllegalArgumentException("graph " + name + " is " + graph.rows() + " x " + graph.cols() + ", not square");
        }
        int n = graph.rows();
        int[] degree = new int[n];
        for (int e = 0; e < graph.nnz(); e++) {
            if (graph.row()[e] != graph.col()[e]) {
                degree[graph.row()[e]]++;
            }
        }
        int[][] neighbours = new int[n][];
        long total = 0;
        for (int a = 0; a < n; a++) {
            neighbours[a] = new int[degree[a]];
            total += degree[a];
        }
        int[] fill = new int[n];
        for (int e = 0; e < graph.nnz(); e++) {
            int a = graph.row()[e];
            if (a != graph.col()[e]) {
                neighbours[a][fill[a]++] = graph.col()[e];
            }
        }
        for (int[] nb : neighbours) {
            Arrays.sort(nb);
        }
        long pairs = 0;
        long covered = 0;
        for (int u = 0; u < train.length; u++) {
            for (int a : train[u]) {
                for (int b : heldOut[u]) {
                    if (b == a) {
                        continue;
                    }
                    pairs++;
                    if (Arrays.binarySearch(neighbours[a], b) >= 0) {
                        covered++;
                    }
                }
            }
        }
        return new GraphAgreement(name, pairs, covered, n == 0 ? 0 : (double) total / n);
    }
}
