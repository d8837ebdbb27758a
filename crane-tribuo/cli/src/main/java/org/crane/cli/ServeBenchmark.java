package org.crane.cli;

import org.crane.serve.ModelServer;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code crane bench serve}: a {@link ModelServer} on 127.0.0.1 and concurrent HTTP clients asking for
 * {@code /recommend}: requests per second and latency percentiles, one row per client count.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Concurrent HTTP clients against 'crane serve' on loopback: requests/s, p50 and p99 latency of GET /recommend.")
final class ServeBenchmark implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @Option(names = "--clients", split = ",", description = "Client counts, one row each (default ${DEFAULT-VALUE}).")
    List<Integer> clients = new ArrayList<>(List.of(1, 4, 16));
    @Option(names = "--requests", description = "Requests per row (default ${DEFAULT-VALUE}).")
    int requests = 4000;
    @Option(names = "--threads", description = "Server worker threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "-k", description = "Items per request (default ${DEFAULT-VALUE}).")
    int k = 20;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || clients.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new IllegalArgumentException("--requests must be >= 1 and --clients from 1 to 1024");
        }
        CraneModel m = ModelFiles.load(model);
        TextTable table = new TextTable("model", "users", "items", "server threads", "clients", "requests", "requests/s", "p50 ms", "p99 ms");
        try (ModelServer server = new ModelServer(m, "127.0.0.1", 0, threads)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + server.port() + "/recommend?k=" + k + "&user=";
            run(http, base, m, Math.min(requests, 500), 4);   // warm-up
            for (int c : clients) {
                double[] r = run(http, base, m, requests, c);
                table.row(model.getFileName(), m.numUsers(), m.numItems(), threads, c, requests, fmt(r[0]), fmt(r[1]), fmt(r[2]));
            }
        }
        spec.commandLine().getOut().print(table.render());
        return 0;
    }

    /** @return requests per second, p50 and p99 latency in milliseconds. */
    private static double[] run(HttpClient http, String base, CraneModel m, int requests, int clients) throws Exception {
        long[] latency = new long[requests];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                fs.add(pool.submit(() -> {
                    for (int i = first; i < requests; i += clients) {
                        String user = m.getUsers().externalId((int) ((i * 7919L) % m.numUsers()));
                        long s = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + user)).build(), HttpResponse.BodyHandlers.ofString());
                        latency[i] = System.nanoTime() - s;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("status " + r.statusCode() + " for user " + user);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latency);
        return new double[]{requests / secs, latency[(int) (0.50 * (requests - 1))] / 1e6, latency[(int) (0.99 * (requests - 1))] / 1e6};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
