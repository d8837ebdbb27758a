package org.crane;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates ranking metrics over users, with MMRec's definitions. For a user with relevant set
 * T and a ranked list, at cut-off K: Recall = hits / |T|; Precision = hits / K; HitRate = 1 if any
 * hit; NDCG = DCG / IDCG with DCG = sum over hit ranks r of 1 / log2(r + 1) and IDCG over
 * min(|T|, K) ranks; MAP = (sum over hit ranks r of hits-so-far / r) / min(|T|, K). Users with an
 * empty relevant set must not be added. Averages are over added users. Not thread-safe; merge
 * accumulators from several threads with {@link #merge}.
 */
public final class RankingMetrics {
    /** Metric names, in report order. */
    public static final String[] NAMES = {"Recall", "NDCG", "Precision", "MAP", "HitRate"};

    /** The largest cut-off a metric name may ask for. */
    public static final int MAX_CUTOFF = 1000;

    /**
     * @param metric a metric name such as {@code NDCG@10}.
     * @return its cut-off K.
     * @throws IllegalArgumentException when it is not one of {@link #NAMES} at a cut-off in 1..{@value #MAX_CUTOFF}.
     */
    public static int cutoffOf(String metric) {
        int at = metric == null ? -1 : metric.indexOf('@');
        if (at > 0 && java.util.Arrays.asList(NAMES).contains(metric.substring(0, at)) && metric.substring(at + 1).matches("[1-9][0-9]{0,3}")) {
            int k = Integer.parseInt(metric.substring(at + 1));
            if (k <= MAX_CUTOFF) {
                return k;
            }
        }
        throw new IllegalArgumentException("must be " + String.join("@K, ", NAMES) + "@K with K in 1.." + MAX_CUTOFF + ", got '"
                + org.crane.data.Excerpt.of(String.valueOf(metric)) + "'");
    }

    private final int[] ks;
    private final double[][] sums;
    private long users;

    /**
     * @param ks the cut-offs, each positive.
     */
    public RankingMetrics(int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("At least one cut-off K is needed");
        }
        for (int k : ks) {
            if (k <= 0) {
                throw new IllegalArgumentException("Cut-off K must be positive, got " + k);
            }
        }
        this.ks = ks.clone();
        this.sums = new double[NAMES.length][ks.length];
    }

    /** @return the largest cut-off. */
    public int maxK() {
        return Arrays.stream(ks).max().getAsInt();
    }

    /** @return the cut-offs. */
    public int[] ks() {
        return ks.clone();
    }

    /**
     * Adds one user.
     * @param ranked ranked item indices, best first.
     * @param length how many entries of {@code ranked} are valid (may be below max K when the
     *               catalogue is small).
     * @param relevant the user's relevant items, sorted ascending, not empty.
     */
    public void add(int[] ranked, int length, int[] relevant) {
        if (relevant.length == 0) {
            throw new IllegalArgumentException("A user with no relevant item cannot be evaluated");
        }
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            int lim = Math.min(k, length);
            int hits = 0;
            double dcg = 0;
            double ap = 0;
            for (int r = 0; r < lim; r++) {
                if (Arrays.binarySearch(relevant, ranked[r]) >= 0) {
                    hits++;
                    dcg += 1.0 / log2(r + 2);
                    ap += (double) hits / (r + 1);
                }
            }
            int ideal = Math.min(relevant.length, k);
            double idcg = 0;
            for (int r = 0; r < ideal; r++) {
                idcg += 1.0 / log2(r + 2);
            }
            sums[0][j] += (double) hits / relevant.length;
            sums[1][j] += dcg / idcg;
            sums[2][j] += (double) hits / k;
            sums[3][j] += ap / ideal;
            sums[4][j] += hits > 0 ? 1 : 0;
        }
        users++;
    }

    /**
     * Adds another accumulator's users (same cut-offs).
     * @param other the other accumulator.
     */
    public void merge(RankingMetrics other) {
        if (!Arrays.equals(ks, other.ks)) {
            throw new IllegalArgumentException("Cannot merge metrics with different cut-offs");
        }
        for (int m = 0; m < sums.length; m++) {
            for (int j = 0; j < ks.length; j++) {
                sums[m][j] += other.sums[m][j];
            }
        }
        users += other.users;
    }

    /** @return the number of users added. */
    public long users() {
        return users;
    }

    /**
     * @return metric name ("Recall@20") to its mean over users, ordered by metric then K; NaN
     * when no user was added.
     */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int m = 0; m < NAMES.length; m++) {
            for (int j = 0; j < ks.length; j++) {
                out.put(NAMES[m] + "@" + ks[j], users == 0 ? Double.NaN : sums[m][j] / users);
            }
        }
        return out;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
