package org.crane.cli;

import org.crane.RankingEvaluator;
import org.crane.RankingScorer;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** {@code crane bench}: benchmark entry points that print tables (never timed tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print a table of timings.",
        subcommands = {BenchCommand.Engine.class, BenchCommand.Train.class, BenchCommand.Scale.class, BenchCommand.Eval.class,
                BenchCommand.Read.class, BenchCommand.Recommend.class, ServeBenchmark.class})
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
            description = "SpMM on the normalised user-item graph, the projection of the first modality (dense GEMM, and over its non-zeros), and a LightGCN + BPR step.")
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

    /** Training and evaluation of the full method on a dataset folder. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Seconds per training epoch and per full evaluation, kNN build, peak memory and GFLOP/s on a dataset folder.")
    static final class Train implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--data", description = "MMRec folder (default ${DEFAULT-VALUE}).")
        java.nio.file.Path data = java.nio.file.Path.of("../shared/data/baby");
        @Option(names = "--modality", paramLabel = "name=file", description = "Select and name a modality (repeatable); default: every .npy/.npy.gz.")
        java.util.List<String> modalities = new java.util.ArrayList<>();
        @Option(names = "--no-modalities", description = "Time LightGCN (no item modalities).")
        boolean noModalities;
        @Option(names = "--set", paramLabel = "name=value", description = "Override a trainer field (repeatable).")
        java.util.List<String> sets = new java.util.ArrayList<>();
        @Option(names = "--epochs", description = "Timed epochs (default ${DEFAULT-VALUE}).")
        int epochs = 3;
        @Option(names = "--warmup", description = "Untimed epochs first (default ${DEFAULT-VALUE}).")
        int warmup = 1;
        @Option(names = "--eval-runs", description = "Timed full evaluations after one untimed (default ${DEFAULT-VALUE}).")
        int evalRuns = 3;
        @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
        java.nio.file.Path json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (epochs < 1 || warmup < 0 || evalRuns < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--epochs and --eval-runs must be >= 1, --warmup >= 0");
            }
            org.crane.data.DataDirectory layout = org.crane.data.DataDirectory.resolve(data, modalities);
            if (noModalities) {
                layout = layout.withoutModalities();
            }
            org.crane.data.DataDirectory.LoadedData loaded = layout.load();
            java.util.List<String> all = new java.util.ArrayList<>(sets);
            all.add("maxEpochs=" + (warmup + epochs));
            org.crane.train.CraneTrainer trainer = TrainerFactory.create(null, all, loaded.features(), true);
            TrainBenchmark.Result r = TrainBenchmark.run(data.getFileName().toString(), loaded.interactions(), trainer, warmup, evalRuns, 0);
            spec.commandLine().getOut().print("data " + data + ", " + trainer + ", " + warmup + " warm-up + " + epochs + " timed epochs, "
                    + evalRuns + " timed evaluations\n" + table(List.of(r)).render());
            if (json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), r.json());
            }
            return 0;
        }
    }

    /** The full method at the shapes of the paper's four datasets (synthetic data). */
    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "Epoch and evaluation seconds, kNN build and memory on synthetic data at the Baby, Sports, Clothing and Electronics shapes.")
    static final class Scale implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--datasets", split = ",", description = "Shapes to run (default ${DEFAULT-VALUE}).")
        java.util.List<String> datasets = new java.util.ArrayList<>(List.of("baby", "sports", "clothing", "electronics"));
        @Option(names = "--epochs", description = "Timed epochs per dataset; Electronics runs one (default ${DEFAULT-VALUE}).")
        int epochs = 2;
        @Option(names = "--eval-runs", description = "Timed evaluations after one untimed (default ${DEFAULT-VALUE}).")
        int evalRuns = 1;
        @Option(names = "--knn-only", description = "Only the item kNN graphs, exact, by 8-bit products (int8) and by approximate "
                + "search (HNSW): seconds, peak memory and the approximate graphs' recall against the exact ones; no training.")
        boolean knnOnly;
        @Option(names = "--knn-index", description = "Training rows: how the item kNN graphs are found, the trainer's knnIndex "
                + "(auto, exact, int8, hnsw; default ${DEFAULT-VALUE}).")
        String knnIndex = "auto";
        @Option(names = "--no-hnsw", description = "With --knn-only: leave out the HNSW graphs (about 10 ms per item on 2 cores).")
        boolean noHnsw;
        @Option(names = "--ef-search", description = "With --knn-only: candidates per HNSW search (default ${DEFAULT-VALUE}).")
        int efSearch = 100;
        @Option(names = "--history-refresh", split = ",", paramLabel = "S", description = "Train each shape once per value of "
                + "historyRefreshSteps (1 = exact steps, S > 1 = local steps over historical embeddings refreshed every S steps), rows side by side "
                + "(default ${DEFAULT-VALUE}).")
        java.util.List<Integer> historyRefresh = new java.util.ArrayList<>(List.of(1));
        @Option(names = "--semantic-update", split = ",", paramLabel = "U", description = "With local steps, also once per value of "
                + "semanticUpdateSteps (0 = auto, ceil(items / batchSize); 1 = the semantic view computed and updated in every step; U > 1 = "
                + "read from a cache, its parameters updated every U steps) (default ${DEFAULT-VALUE}).")
        java.util.List<Integer> semanticUpdate = new java.util.ArrayList<>(List.of(0));
        @Option(names = "--dense-image", description = "Dense Gaussian image features instead of ReLU-like ones (20 % non-zero): "
                + "the projection then cannot use the sparse kernel.")
        boolean denseImage;
        @Option(names = "--spark", description = "Only every user's top-20 of a model of each shape: the single-JVM path against "
                + "a Spark job (--master), each in its own JVM (seconds and peak memory); the launcher then puts Spark on the class path.")
        boolean spark;
        @Option(names = "--master", description = "With --spark: the Spark master (default ${DEFAULT-VALUE}).")
        String master = "local[2]";
        @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON (a list with a dataset key).")
        java.nio.file.Path json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<TrainBenchmark.Result> rows = new java.util.ArrayList<>();
            java.io.PrintWriter out = spec.commandLine().getOut();
            if (spark) {
                return allUsers(out);
            }
            if (knnOnly) {
                return knn(out);
            }
            for (String name : datasets) {
                SyntheticShapes.Shape shape = shape(name);
                org.crane.data.Interactions data = interactions(shape);
                org.crane.data.ItemFeatureSource features = org.crane.data.ItemFeatureSource.inMemory(List.of(
                        denseImage ? SyntheticShapes.features("image", shape.items(), SyntheticShapes.IMAGE_DIM, 43)
                                : SyntheticShapes.reluFeatures("image", shape.items(), SyntheticShapes.IMAGE_DIM, 43),
                        SyntheticShapes.features("text", shape.items(), SyntheticShapes.TEXT_DIM, 44)));
                int n = shape == SyntheticShapes.ELECTRONICS ? 1 : epochs;
                for (int refresh : historyRefresh) {
                    for (int update : refresh == 1 ? List.of(0) : semanticUpdate) {
                        org.crane.train.CraneTrainer trainer = new org.crane.train.CraneTrainer.Builder().itemFeatures(features).maxEpochs(n)
                                .historyRefreshSteps(refresh).semanticUpdateSteps(update).knnIndex(knnIndex).logEvery(1000).build();
                        int u = trainer.semanticUpdateSteps(0, shape.items(), true);   // as resolved for this catalogue
                        String mode = refresh == 1 ? " exact" : " S=" + refresh + (u == 1 ? "" : " U=" + u);
                        String row = historyRefresh.size() == 1 && semanticUpdate.size() == 1 ? shape.name() : shape.name() + mode;
                        TrainBenchmark.Result r = TrainBenchmark.run(row, data, trainer, 0, evalRuns, 0);
                        rows.add(r);
                        out.print(table(List.of(r)).render());
                        out.flush();
                    }
                }
            }
            out.println("\nAll shapes (full CRANE defaults, frozen raw features: image 4096-d ReLU-like (20 % non-zero) + text 384-d, " + epochs + " timed epochs, 1 for Electronics):");
            out.print(table(rows).render());
            if (json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                        rows.stream().map(TrainBenchmark.Result::json).toList());
            }
            return 0;
        }

        private SyntheticShapes.Shape shape(String name) {
            return SyntheticShapes.PAPER.stream()
                    .filter(s -> s.name().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--datasets: unknown shape '" + name + "' (baby, sports, clothing, electronics)"));
        }

        private static org.crane.data.Interactions interactions(SyntheticShapes.Shape shape) throws java.io.IOException {
            java.nio.file.Path inter = java.nio.file.Files.createTempFile("crane-" + shape.name(), ".inter");
            try {
                return SyntheticShapes.viaFile(SyntheticShapes.interactions(shape, 42), inter);
            } finally {
                java.nio.file.Files.deleteIfExists(inter);
            }
        }

        /** The --knn-only table: exact and approximate kNN graphs of each shape's synthetic features. */
        private int knn(java.io.PrintWriter out) throws Exception {
            java.util.List<KnnBenchmark.Row> rows = new java.util.ArrayList<>();
            for (String name : datasets) {
                SyntheticShapes.Shape shape = shape(name);
                java.util.List<org.crane.data.FeatureMatrix> mods = List.of(
                        SyntheticShapes.reluFeatures("image", shape.items(), SyntheticShapes.IMAGE_DIM, 43),
                        SyntheticShapes.features("text", shape.items(), SyntheticShapes.TEXT_DIM, 44));
                rows.add(KnnBenchmark.run(shape.name(), mods, 10, efSearch, !noHnsw, 0));
                out.print(KnnBenchmark.table(List.of(rows.get(rows.size() - 1)), efSearch).render());
                out.flush();
            }
            out.println("\nItem kNN graphs, k = 10 (synthetic features: image 4096-d ReLU-like, text 384-d; exact = every similarity, "
                    + "int8 = 8-bit products with exact re-ranking, hnsw = Lucene HNSW, recall against exact):");
            out.print(KnnBenchmark.table(rows, efSearch).render());
            if (json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), rows);
            }
            return 0;
        }

        /** The --spark table: every user's top-20 by both paths, per shape. */
        private int allUsers(java.io.PrintWriter out) throws Exception {
            try {
                Class.forName(AllUsersBenchmark.SPARK_MAIN);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("--spark needs the Spark module on the class path: run it through the ./crane launcher");
            }
            String[] columns = {"dataset", "users", "items", "k", "path", "seconds", "users_per_second", "peak_rss_mb"};
            TextTable all = new TextTable(columns);
            java.util.List<java.util.Map<String, Object>> json = new java.util.ArrayList<>();
            for (String name : datasets) {
                SyntheticShapes.Shape shape = shape(name);
                java.nio.file.Path work = java.nio.file.Files.createTempDirectory("crane-bench-" + shape.name());
                try {
                    java.nio.file.Path model = AllUsersBenchmark.model(interactions(shape), work);
                    for (AllUsersBenchmark.Row r : AllUsersBenchmark.run(model, 20, master, work)) {
                        Object[] cells = {shape.name(), shape.users(), shape.items(), 20, r.path(), fmt2(r.seconds()),
                            fmt(shape.users() / r.seconds()), fmt(r.peakRssMb())};
                        all.row(cells);
                        out.print(new TextTable(columns).row(cells).render());
                        out.flush();
                        json.add(java.util.Map.of("dataset", shape.name(), "path", r.path(), "seconds", r.seconds(), "peak_rss_mb", r.peakRssMb()));
                    }
                } finally {
                    OutputGuard.deleteTree(work);
                }
            }
            out.println("\nEvery user's top-20 (model: LightGCN after one epoch at the shape's sizes; each path in its own JVM, start-up included):");
            out.print(all.render());
            if (this.json != null) {
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(this.json.toFile(), json);
            }
            return 0;
        }
    }

    static TextTable table(List<TrainBenchmark.Result> rows) {
        TextTable t = new TextTable("dataset", "users", "items", "train", "epoch_s_median", "epoch_s_min", "epoch_s_max", "eval_s_median",
                "knn_s", "knn_peak_rss_mb", "peak_rss_mb", "gflop_per_epoch", "gflops_per_second");
        for (TrainBenchmark.Result r : rows) {
            t.row(r.dataset(), r.users(), r.items(), r.trainInteractions(), fmt2(r.epochs().medianMs() / 1000), fmt2(r.epochs().minMs() / 1000),
                    fmt2(r.epochs().maxMs() / 1000), fmt2(r.eval().medianMs() / 1000), fmt2(r.knnSeconds()), fmt(r.knnPeakRssMb()),
                    fmt(r.peakRssMb()), fmt(r.gflopPerEpoch()), fmt(r.gflopsPerSecond()));
        }
        return t;
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
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
            org.crane.train.CraneModel m = ModelFiles.load(model);
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
