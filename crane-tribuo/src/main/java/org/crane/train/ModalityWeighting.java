package org.crane.train;

import org.crane.eval.GraphAgreement;
import org.crane.graph.CooMatrix;

import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Weights alpha_m of the modalities' kNN graphs in the item-item graph, from the training
 * interactions alone: a modality's graph earns weight by how much more often than chance it links
 * two items that one user interacted with in training (the share of same-user training pairs it
 * covers, less the share a random graph of the same degree would cover, less three binomial
 * standard deviations of that chance share, so that a graph within noise of chance earns nothing).
 * Graphs no better than chance get no weight; when none is better, all are weighted equally. The result does not depend
 * on the order in which the modalities are given, and no held-out row is read.
 */
final class ModalityWeighting {
    private static final Logger logger = Logger.getLogger(ModalityWeighting.class.getName());
    /** Each user's first items considered, so that a user with thousands of items costs no more than this squared. */
    static final int MAX_ITEMS_PER_USER = 256;

    private ModalityWeighting() {
    }

    /**
     * @param names the modalities' names (for the log).
     * @param graphs each modality's kNN graph (N x N).
     * @param itemsByUser each user's training items.
     * @return alpha_m, summing to 1.
     */
    static double[] fromTraining(List<String> names, List<CooMatrix> graphs, int[][] itemsByUser) {
        int[][] capped = new int[itemsByUser.length][];
        for (int u = 0; u < capped.length; u++) {
            int[] row = itemsByUser[u] == null ? new int[0] : itemsByUser[u];
            capped[u] = row.length > MAX_ITEMS_PER_USER ? java.util.Arrays.copyOf(row, MAX_ITEMS_PER_USER) : row;
        }
        double[] excess = new double[graphs.size()];
        double sum = 0;
        StringBuilder log = new StringBuilder();
        for (int m = 0; m < graphs.size(); m++) {
            CooMatrix g = graphs.get(m);
            GraphAgreement a = GraphAgreement.of(names.get(m), g, capped, capped);
            double chance = g.rows() <= 1 ? 0 : a.meanNeighbours() / (g.rows() - 1);
            double noise = a.pairs() == 0 ? 0 : 3 * Math.sqrt(chance * (1 - chance) / a.pairs());
            excess[m] = Math.max(0, a.share() - chance - noise);
            sum += excess[m];
            log.append(String.format(Locale.ROOT, "%s%s covers %.2f %% of same-user training pairs (chance %.2f %%)",
                    m == 0 ? "" : ", ", names.get(m), 100 * a.share(), 100 * chance));
        }
        double[] w = new double[graphs.size()];
        for (int m = 0; m < w.length; m++) {
            w[m] = sum > 0 ? excess[m] / sum : 1.0 / w.length;
        }
        logger.info("Modality weights " + java.util.Arrays.toString(round(w)) + " from the training interactions: " + log);
        return w;
    }

    private static double[] round(double[] w) {
        double[] r = new double[w.length];
        for (int m = 0; m < w.length; m++) {
            r[m] = Math.round(w[m] * 1000) / 1000.0;
        }
        return r;
    }
}
