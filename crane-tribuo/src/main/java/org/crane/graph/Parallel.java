package org.crane.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed set of daemon worker threads that run one part each of a piece of work and are waited for:
 * the kNN graphs' searches, quantisation, candidate offers and re-ranking. Close it to stop the threads.
 */
final class Parallel implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    /**
     * @param threads worker threads, at least 1.
     * @param name the threads' name.
     */
    Parallel(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the number of worker threads. */
    int threads() {
        return threads;
    }

    /**
     * Runs {@code part.accept(t)} for every {@code t} in {@code [0, parts)} on the workers and waits for all.
     * @param parts how many parts.
     * @param part the work of one part.
     * @throws RuntimeException the first part's failure, as thrown.
     */
    void run(int parts, IntConsumer part) {
        List<Future<?>> running = new ArrayList<>(parts);
        for (int t = 0; t < parts; t++) {
            int which = t;
            running.add(pool.submit(() -> part.accept(which)));
        }
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("kNN graph interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            running.forEach(f -> f.cancel(true));
        }
    }

    /** Runs one part per worker thread: {@code part.accept(t)} for {@code t} in {@code [0, threads)}. @param part the work. */
    void run(IntConsumer part) {
        run(threads, part);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
