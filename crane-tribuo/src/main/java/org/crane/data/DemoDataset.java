package org.crane.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the small embedded demo dataset in MMRec layout: users, items and two modalities
 * ({@code image}, {@code text}) with planted structure. Items belong to latent clusters; a
 * cluster shapes both the items' features (cluster centroid plus noise) and which users interact
 * with them (each user prefers one or two clusters), so a recommender that uses the graph or the
 * features beats popularity clearly. Deterministic for a given seed.
 */
public final class DemoDataset {
    /** Default number of users. */
    public static final int USERS = 1000;
    /** Default number of items. */
    public static final int ITEMS = 500;
    /** Number of latent clusters. */
    public static final int CLUSTERS = 10;
    /** Default seed. */
    public static final long SEED = 20261128L;
    /** The interaction file name written by {@link #write}. */
    public static final String INTER_FILE = "demo.inter";

    private static final int IMAGE_DIM = 64;
    private static final int TEXT_DIM = 32;

    private DemoDataset() {
    }

    /**
     * Writes {@value #INTER_FILE}, {@code image.npy} and {@code text.npy} into a folder.
     * @param dir the folder (created if needed).
     * @param seed the seed.
     * @throws IOException when writing fails.
     */
    public static void write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom structure = root.split();
        SplittableRandom features = root.split();
        int[] cluster = new int[ITEMS];
        double[] popularity = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            cluster[i] = structure.nextInt(CLUSTERS);
            popularity[i] = Math.exp(1.2 * gaussian(structure));
        }
        writeInteractions(dir.resolve(INTER_FILE), structure, cluster, popularity);
        NpyWriter.write(clusterFeatures("image", IMAGE_DIM, 1.0, 0.9, false, features, cluster), dir.resolve("image.npy"));
        NpyWriter.write(clusterFeatures("text", TEXT_DIM, 1.0, 0.7, true, features, cluster), dir.resolve("text.npy"));
    }

    private static void writeInteractions(Path file, SplittableRandom rng, int[] cluster, double[] popularity) throws IOException {
        List<List<Integer>> byCluster = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            byCluster.add(new ArrayList<>());
        }
        for (int i = 0; i < ITEMS; i++) {
            byCluster.get(cluster[i]).add(i);
        }
        AtomicWrite.to(file, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("userID\titemID\trating\tx_label\n");
                for (int u = 0; u < USERS; u++) {
                    int a = rng.nextInt(CLUSTERS);
                    int b = rng.nextDouble() < 0.5 ? a : rng.nextInt(CLUSTERS);
                    int n = 8 + rng.nextInt(25);
                    boolean[] taken = new boolean[ITEMS];
                    int[] items = new int[n];
                    int k = 0;
                    int guard = 0;
                    while (k < n && guard++ < 10_000) {
                        int item;
                        double r = rng.nextDouble();
                        if (r < 0.85) {
                            List<Integer> pool = byCluster.get(r < 0.55 ? a : b);
                            item = pickByPopularity(rng, pool, popularity);
                        } else {
                            item = rng.nextInt(ITEMS);
                        }
                        if (!taken[item]) {
                            taken[item] = true;
                            items[k++] = item;
                        }
                    }
                    items = Arrays.copyOf(items, k);
                    // shuffle, then cut 80/10/10 with at least one valid and one test item
                    for (int i = k - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1);
                        int t = items[i];
                        items[i] = items[j];
                        items[j] = t;
                    }
                    int nTest = Math.max(1, k / 10);
                    int nValid = Math.max(1, k / 10);
                    for (int i = 0; i < k; i++) {
                        int label = i < k - nTest - nValid ? 0 : (i < k - nTest ? 1 : 2);
                        w.write(u + "\t" + items[i] + "\t1\t" + label + "\n");
                    }
                }
            }
        });
    }

    private static int pickByPopularity(SplittableRandom rng, List<Integer> pool, double[] popularity) {
        double total = 0;
        for (int i : pool) {
            total += popularity[i];
        }
        double x = rng.nextDouble() * total;
        for (int i : pool) {
            x -= popularity[i];
            if (x <= 0) {
                return i;
            }
        }
        return pool.get(pool.size() - 1);
    }

    private static FeatureMatrix clusterFeatures(String name, int dim, double signal, double noise, boolean unitRows,
                                                 SplittableRandom rng, int[] cluster) {
        double[][] centroids = new double[CLUSTERS][dim];
        for (double[] c : centroids) {
            for (int j = 0; j < dim; j++) {
                c[j] = signal * gaussian(rng);
            }
        }
        float[] v = new float[ITEMS * dim];
        for (int i = 0; i < ITEMS; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                double x = centroids[cluster[i]][j] + noise * gaussian(rng);
                v[i * dim + j] = (float) x;
                norm += x * x;
            }
            if (unitRows) {
                float inv = (float) (1.0 / Math.sqrt(norm));
                for (int j = 0; j < dim; j++) {
                    v[i * dim + j] *= inv;
                }
            }
        }
        return new FeatureMatrix(name, ITEMS, dim, v);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
