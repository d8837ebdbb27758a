package org.crane.cli;

import org.crane.data.FeatureMatrix;
import org.crane.data.Interactions;
import org.crane.data.IdMap;
import org.crane.data.FileFingerprint;
import org.crane.data.Split;
import org.crane.data.AtomicWrite;
import org.crane.data.InteractionReader;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic data at a real dataset's shapes, for timing and memory only: the user, item and
 * interaction counts of the Amazon datasets the CRANE paper uses, long-tailed item popularity
 * (log-normal weights, so degrees are skewed like real data), every user with at least three
 * interactions cut 80/10/10 into train/valid/test, and Gaussian image (4096-d) and text (384-d)
 * features. Nothing here is meant to be learnable.
 */
public final class SyntheticShapes {
    /**
     * A dataset's shape.
     * @param name its name.
     * @param users user count.
     * @param items item count.
     * @param interactions interaction count.
     */
    public record Shape(String name, int users, int items, int interactions) {
    }

    /** Amazon Baby. */
    public static final Shape BABY = new Shape("baby", 19_445, 7_050, 160_792);
    /** Amazon Sports. */
    public static final Shape SPORTS = new Shape("sports", 35_598, 18_357, 296_337);
    /** Amazon Clothing. */
    public static final Shape CLOTHING = new Shape("clothing", 39_387, 23_033, 278_677);
    /** Amazon Electronics. */
    public static final Shape ELECTRONICS = new Shape("electronics", 192_403, 63_001, 1_689_188);
    /** The four, smallest first. */
    public static final List<Shape> PAPER = List.of(BABY, SPORTS, CLOTHING, ELECTRONICS);
    /** Image feature width. */
    public static final int IMAGE_DIM = 4096;
    /** Text feature width. */
    public static final int TEXT_DIM = 384;

    private SyntheticShapes() {
    }

    /**
     * @param shape the shape.
     * @param seed the seed.
     * @return interactions with exactly the shape's counts (users with too few draws get more).
     */
    public static Interactions interactions(Shape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int m = shape.users();
        int n = shape.items();
        double[] cum = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp(1.5 * gaussian(rng));
            cum[i] = total;
        }
        // per-user counts: at least 3, the rest spread with a long tail, summing to the target
        int[] count = new int[m];
        Arrays.fill(count, 3);
        int left = shape.interactions() - 3 * m;
        if (left < 0) {
            throw new IllegalArgumentException(shape + " has fewer than 3 interactions per user");
        }
        double[] share = new double[m];
        double sum = 0;
        for (int u = 0; u < m; u++) {
            share[u] = Math.exp(gaussian(rng));
            sum += share[u];
        }
        int given = 0;
        for (int u = 0; u < m; u++) {
            int extra = (int) Math.min(n - 3, Math.floor(left * share[u] / sum));
            count[u] += extra;
            given += extra;
        }
        for (int u = 0; given < left; u = (u + 1) % m) {
            if (count[u] < n) {
                count[u]++;
                given++;
            }
        }
        int rows = shape.interactions();
        int[] user = new int[rows];
        int[] item = new int[rows];
        byte[] split = new byte[rows];
        int r = 0;
        java.util.BitSet taken = new java.util.BitSet(n);
        for (int u = 0; u < m; u++) {
            int c = count[u];
            int[] mine = new int[c];
            int k = 0;
            while (k < c) {
                int i = draw(cum, total, rng);
                if (taken.get(i)) {
                    i = rng.nextInt(n);
                    if (taken.get(i)) {
                        continue;
                    }
                }
                taken.set(i);
                mine[k++] = i;
            }
            for (int i : mine) {
                taken.clear(i);
            }
            int valid = Math.max(1, c / 10);
            int test = Math.max(1, c / 10);
            for (int q = 0; q < c; q++) {
                user[r] = u;
                item[r] = mine[q];
                split[r] = (byte) (q < c - valid - test ? Split.TRAIN.code() : q < c - test ? Split.VALID.code() : Split.TEST.code());
                r++;
            }
        }
        float[] weight = new float[rows];
        Arrays.fill(weight, 1f);
        return new Interactions(IdMap.dense(m), n, user, item, weight, split, null);
    }

    /**
     * @param name the modality name.
     * @param items rows.
     * @param dim columns.
     * @param seed the seed.
     * @return Gaussian features.
     */
    public static FeatureMatrix features(String name, int items, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.multiplyExact(items, dim)];
        for (int q = 0; q < v.length; q++) {
            v[q] = (float) gaussian(rng);
        }
        return new FeatureMatrix(name, items, dim, v);
    }

    /**
     * CNN-like image features: {@code max(0, g - 0.8416)} for standard Gaussian {@code g}, so about 20 %
     * of the entries are non-zero, as ReLU activations of a CNN's fully connected layer (MMRec's
     * Amazon image features) and as the shared Baby data's synthetic image table (same recipe).
     * @param name the modality name.
     * @param items rows.
     * @param dim columns.
     * @param seed the seed.
     * @return the features.
     */
    public static FeatureMatrix reluFeatures(String name, int items, int dim, long seed) {
        float[] v = features(name, items, dim, seed).values();
        for (int q = 0; q < v.length; q++) {
            v[q] = Math.max(0f, v[q] - RELU_SHIFT);
        }
        return new FeatureMatrix(name, items, dim, v);
    }

    /** The standard normal quantile of 0.8: shifting by it leaves a fifth of the entries positive. */
    private static final float RELU_SHIFT = 0.8416f;

    /**
     * Writes interactions as an MMRec {@code .inter} file and reads them back, so that datasets
     * built from them carry real file provenance (path and SHA-256).
     * @param data the interactions.
     * @param file where to write them.
     * @return the interactions as read from the file.
     * @throws java.io.IOException when the file cannot be written or read.
     */
    public static Interactions viaFile(Interactions data, java.nio.file.Path file) throws java.io.IOException {
        AtomicWrite.to(file, tmp -> {
            try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8)) {
                w.write("userID\titemID\tx_label\n");
                for (int r = 0; r < data.size(); r++) {
                    w.write(data.users().externalId(data.user(r)) + "\t" + data.item(r) + "\t" + data.split(r).code() + "\n");
                }
            }
        });
        return InteractionReader.read(file, data.numItems());
    }

    private static int draw(double[] cum, double total, SplittableRandom rng) {
        int i = Arrays.binarySearch(cum, rng.nextDouble() * total);
        return Math.min(cum.length - 1, i >= 0 ? i : -i - 1);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = Math.max(rng.nextDouble(), 1e-300);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
