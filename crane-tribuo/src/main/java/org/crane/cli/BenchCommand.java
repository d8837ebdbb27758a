package org.crane.cli;

import org.crane.eval.RankingEvaluator;
import org.crane.eval.RankingScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.SplittableRandom;

/** {@code crane bench}: benchmark entry points that print tables (never timed tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print a table of timings.",
        subcommands = {BenchCommand.Engine.class, BenchCommand.Eval.class, BenchCommand.Read.class, BenchCommand.Recommend.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing benchmark; see 'crane bench --help'");
    }

    /** Ranking evaluation over given score vectors: top-K selection and metrics only. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Full-ranking evaluation of USERS x ITEMS given scores (top-K heap + metrics at 5,10,20,50).")
    static final class Eval implements Runnable {
        @Option(names = "--users", description = "Users (default ${DEFAULT-VALUE}).")
        int users = 20_000;
        @Option(names = "--items", description = "Items (default ${DEFAULT-VALUE}).")
        int items = 7_000;
        @Option(names = "--runs", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
        int runs = 5;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            SplittableRandom rnd = new SplittableRandom(7);
            float[] scores = new float[Math.multiplyExact(users, items)];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (float) rnd.nextDouble();
            }
            int[][] excluded = new int[users][];
            int[][] relevant = new int[users][];
            for (int u = 0; u < users; u++) {
                excluded[u] = rnd.ints(6, 0, items).sorted().distinct().toArray();
                relevant[u] = rnd.ints(2, 0, items).sorted().distinct().toArray();
            }
            RankingScorer scorer = new GivenScores(scores, users, items, excluded);
            RankingEvaluator ev = new RankingEvaluator();
            BenchTimer.Stats s = BenchTimer.time(1, runs, () -> ev.evaluate(scorer, relevant));
            spec.commandLine().getOut().print(new TextTable("benchmark", "users", "items", "median_ms", "min_ms", "max_ms", "threads")
                    .row("ranking_eval", users, items, fmt(s.medianMs()), fmt(s.minMs()), fmt(s.maxMs()),
                            java.util.concurrent.ForkJoinPool.commonPool().getParallelism() + 1).render());
        }
    }

    /** The compute engine on a real dataset's shapes. */
    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = "SpMM on the normalised user-item graph, the dense projection of the first modality, and a LightGCN + BPR step.")
    static final class Engine implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--data", description = "MMRec folder (default ${DEFAULT-VALUE}).")
        java.nio.file.Path data = java.nio.file.Path.of("../shared/data/baby");
        @Option(names = "--threads", description = "ONNX Runtime intra-op threads, 0 = physical cores (default ${DEFAULT-VALUE}).")
        int threads = 0;
        @Option(names = "--runs", description = "Timed runs after two warm-ups (default ${DEFAULT-VALUE}).")
        int runs = 10;
        @Option(names = "--batch", description = "Triples per step (default ${DEFAULT-VALUE}).")
        int batch = 2048;
        @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
        java.nio.file.Path json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<EngineBenchmark.Row> rows = EngineBenchmark.run(
                    org.crane.data.DataDirectory.resolve(data, java.util.List.of()).load(), threads, runs, batch);
            TextTable t = new TextTable("name", "median_ms", "min_ms", "max_ms", "gflop", "gflops_per_second");
            java.util.List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
            for (EngineBenchmark.Row r : rows) {
                t.row(r.name(), fmt(r.stats().medianMs()), fmt(r.stats().minMs()), fmt(r.stats().maxMs()),
                        String.format(Locale.ROOT, "%.3f", r.gflop()), fmt(r.gflopsPerSecond()));
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("name", r.name());
                m.put("median_ms", r.stats().medianMs());
                m.put("min_ms", r.stats().minMs());
                m.put("max_ms", r.stats().maxMs());
                m.put("gflops_per_second", r.gflopsPerSecond());
                out.add(m);
            }
            spec.commandLine().getOut().print("data " + data + ", threads " + threads + ", " + runs + " runs after warm-up\n" + t.render());
            if (json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            }
            return 0;
        }
    }

    /** Single-user recommendation throughput of a saved model from several threads. */
    @Command(name = "recommend", mixinStandardHelpOptions = true, description = "Top-K recommendations per second from N threads.")
    static final class Recommend implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--model", required = true, description = "A saved model.")
        java.nio.file.Path model;
        @Option(names = "--threads", description = "Client threads (default ${DEFAULT-VALUE}).")
        int threads = 8;
        @Option(names = "--calls", description = "Calls per thread (default ${DEFAULT-VALUE}).")
        int calls = 2000;
        @Option(names = "-k", description = "Items per call (default ${DEFAULT-VALUE}).")
        int k = 10;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            org.crane.CraneModel m = ModelFiles.load(model);
            int users = m.numUsers();
            for (int u = 0; u < Math.min(users, 200); u++) {
                m.recommend(m.getUsers().externalId(u), k);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            long t0 = System.nanoTime();
            try {
                java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * 7919;
                    fs.add(pool.submit(() -> {
                        for (int c = 0; c < calls; c++) {
                            m.recommend(m.getUsers().externalId((offset + c * 31) % users), k);
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            spec.commandLine().getOut().print(new TextTable("model", "users", "items", "threads", "calls", "seconds", "recommendations_per_second")
                    .row(model.getFileName(), users, m.numItems(), threads, (long) threads * calls, fmt(secs), fmt(threads * (double) calls / secs)).render());
            return 0;
        }
    }

    /** Reading modality matrices (.npy / .npy.gz) into float arrays. */
    @Command(name = "read", mixinStandardHelpOptions = true, description = "Time reading .npy/.npy.gz matrices.")
    static final class Read implements Runnable {
        @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "Matrices to read.")
        java.util.List<java.nio.file.Path> files;
        @Option(names = "--runs", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
        int runs = 3;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            TextTable t = new TextTable("file", "rows", "cols", "median_ms", "min_ms", "max_ms");
            for (java.nio.file.Path f : files) {
                int[] shape = new int[2];
                BenchTimer.Stats s = BenchTimer.time(1, runs, () -> {
                    try {
                        org.crane.data.FeatureMatrix m = org.crane.data.NpyReader.read(f);
                        shape[0] = m.rows();
                        shape[1] = m.cols();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                t.row(f.getFileName(), shape[0], shape[1], fmt(s.medianMs()), fmt(s.minMs()), fmt(s.maxMs()));
            }
            spec.commandLine().getOut().print(t.render());
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Scores held in one row-major array. */
    private record GivenScores(float[] scores, int users, int items, int[][] excluded) implements RankingScorer {
        @Override
        public int numItems() {
            return items;
        }

        @Override
        public int numUsers() {
            return users;
        }

        @Override
        public int userIndex(String userId) {
            return Integer.parseInt(userId);
        }

        @Override
        public void scoreUsers(int[] us, float[] out) {
            for (int j = 0; j < us.length; j++) {
                System.arraycopy(scores, us[j] * items, out, j * items, items);
            }
        }

        @Override
        public int[] excludedItems(int user) {
            return excluded[user];
        }
    }
}
