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
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new Stats(median, ms[0], ms[runs - 1]);
    }
}
