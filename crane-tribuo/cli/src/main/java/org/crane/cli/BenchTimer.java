package org.crane.cli;

import java.util.Arrays;

/** Times a task over repeated runs after warm-up and reports median, min and max in milliseconds. */
final class BenchTimer {
    record Stats(double medianMs, double minMs, double maxMs) {
    }

    private BenchTimer() {
    }

    static Stats time(int warmup, int runs, Runnable task) {
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return stats(ms);
    }

    /**
     * @param ms measured times in milliseconds (at least one).
     * @return their median, min and max.
     */
    static Stats stats(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int runs = sorted.length;
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        return new Stats(median, sorted[0], sorted[runs - 1]);
    }
}
