package org.crane.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.crane.data.Excerpt;
import org.crane.Recommendation;
import org.crane.train.CraneModel;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A trained model behind a JSON HTTP API, on the JDK's HTTP server with a bounded pool of worker threads:
 * <ul>
 *   <li>{@code GET /health}: {@code {"status":"ok","users":M,"items":N}}</li>
 *   <li>{@code GET /recommend?user=ID&k=K[&exclude=ID,ID]}: {@code {"user":ID,"items":[{"item":..,"score":..},..]}} in rank
 *       order, the user's training items and the excluded ones left out</li>
 *   <li>{@code GET /score?user=ID&items=ID,ID}: the user's score of each given item, in the given order</li>
 *   <li>{@code GET /provenance}: a summary of the model's provenance (trainer fields, run values, data)</li>
 * </ul>
 * Errors are JSON objects {@code {"error": "..."}}: 400 for a bad parameter, 404 for an unknown user, item or
 * path, 405 for another method than GET, 500 (without detail) for anything else; never a stack trace.
 */
public final class ModelServer implements AutoCloseable {
    private static final Logger logger = Logger.getLogger(ModelServer.class.getName());
    /** The most items one request may ask for. */
    public static final int MAX_K = 1000;
    /** The most items one score request or exclusion list may name. */
    public static final int MAX_LIST = 10_000;
    /** The longest query string read. */
    static final int MAX_QUERY = 200_000;

    static {
        // the JDK server leaves Nagle's algorithm on by default: with the client's delayed ACKs a small JSON answer
        // then waits ~40 ms (measured: p50 44 ms with 4 clients); read once, when the server classes load
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final CraneModel model;
    private final Map<String, Object> provenance;
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Starts serving.
     * @param model the model.
     * @param host the address to bind (e.g. 127.0.0.1).
     * @param port the port (0: any free one, see {@link #port()}).
     * @param threads worker threads; requests beyond them wait in a queue of 64 per thread, beyond that the accepting
     *        thread serves them itself (back pressure instead of unbounded memory).
     * @throws IOException when the port cannot be bound.
     */
    public ModelServer(CraneModel model, String host, int port, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.model = model;
        this.provenance = ProvenanceSummary.of(model);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64 * threads), r -> {
            Thread t = new Thread(r, "crane-serve");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        logger.info("Serving " + model.numUsers() + " users, " + model.numItems() + " items on http://" + host + ":" + port() + "/");
    }

    /** @return the bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops accepting, lets requests under way finish (at most {@code seconds}), then stops the workers.
     * @param seconds the most time to wait.
     */
    public void stop(int seconds) {
        server.stop(seconds);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(seconds, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(2);
    }

    /** A request's failure with its HTTP status. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int status = 200;
        Object body;
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Allow", "GET");
                throw new HttpError(405, "only GET is served");
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            body = switch (ex.getRequestURI().getPath()) {
                case "/health" -> object("status", "ok", "users", model.numUsers(), "items", model.numItems());
                case "/recommend" -> recommend(q);
                case "/score" -> score(q);
                case "/provenance" -> provenance;
                default -> throw new HttpError(404, "no such path; the paths are /health, /recommend, /score and /provenance");
            };
        } catch (HttpError e) {
            status = e.status;
            body = object("error", e.getMessage());
        } catch (RuntimeException | Error e) {
            logger.log(Level.WARNING, "request failed: " + Excerpt.of(String.valueOf(ex.getRequestURI())), e);
            status = 500;
            body = object("error", "internal error");
        }
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A JSON object whose keys keep the given order. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        if (raw.length() > MAX_QUERY) {
            throw new HttpError(400, "query of " + raw.length() + " characters; the limit is " + MAX_QUERY);
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (q.putIfAbsent(k, v) != null) {
                throw new HttpError(400, "parameter '" + Excerpt.of(k) + "' given twice");
            }
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad percent-encoding in '" + Excerpt.of(s) + "'");
        }
    }

    private int user(Map<String, String> q) {
        String id = q.get("user");
        if (id == null || id.isEmpty()) {
            throw new HttpError(400, "parameter 'user' is missing");
        }
        int u = model.userIndex(id);
        if (u < 0) {
            throw new HttpError(404, "unknown user '" + Excerpt.of(id) + "'");
        }
        return u;
    }

    private int[] items(String list, String name) {
        String[] parts = list.isEmpty() ? new String[0] : list.split(",", -1);
        if (parts.length > MAX_LIST) {
            throw new HttpError(400, "parameter '" + name + "' names " + parts.length + " items; the limit is " + MAX_LIST);
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int item;
            try {
                item = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new HttpError(404, "unknown item '" + Excerpt.of(p) + "' in '" + name + "'");
            }
            if (item < 0 || item >= model.numItems()) {
                throw new HttpError(404, "unknown item '" + Excerpt.of(p) + "' in '" + name + "': the model has items 0.." + (model.numItems() - 1));
            }
            out[i] = item;
        }
        return out;
    }

    private Map<String, Object> recommend(Map<String, String> q) {
        user(q);   // 404 for an unknown user, also where the model would fall back to popularity
        int k;
        try {
            k = Integer.parseInt(q.getOrDefault("k", "10"));
        } catch (NumberFormatException e) {
            throw new HttpError(400, "parameter 'k' must be a whole number from 1 to " + MAX_K);
        }
        if (k < 1 || k > MAX_K) {
            throw new HttpError(400, "parameter 'k' must be a whole number from 1 to " + MAX_K + ", got " + k);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Recommendation r : model.recommend(q.get("user"), k, items(q.getOrDefault("exclude", ""), "exclude"))) {
            items.add(object("item", r.itemId(), "score", r.score()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", q.get("user"));
        out.put("items", items);
        return out;
    }

    private Map<String, Object> score(Map<String, String> q) {
        int u = user(q);
        String given = q.get("items");
        if (given == null || given.isEmpty()) {
            throw new HttpError(400, "parameter 'items' is missing (comma-separated item ids)");
        }
        int[] items = items(given, "items");
        float[] scores = new float[model.numItems()];
        model.scoreUsers(new int[]{u}, scores);
        List<Map<String, Object>> out = new ArrayList<>(items.length);
        for (int i : items) {
            out.add(object("item", Integer.toString(i), "score", scores[i]));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("user", q.get("user"));
        r.put("scores", out);
        return r;
    }
}
