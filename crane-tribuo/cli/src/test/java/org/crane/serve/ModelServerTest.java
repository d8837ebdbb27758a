package org.crane.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crane.Recommendation;
import org.crane.train.CraneModel;
import org.crane.train.DemoFixture;
import org.crane.train.TrainerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server against a real HTTP client on 127.0.0.1: answers equal the model's own, errors are JSON with the right status. */
class ModelServerTest {
    private static CraneModel model;
    private static ModelServer server;
    private static final HttpClient client = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        DemoFixture f = DemoFixture.get();
        model = TrainerSettings.create(f.data.features(), Map.of("embeddingSize", "16", "maxEpochs", "3", "threads", "1"))
                .train(f.train, f.valid);
        server = new ModelServer(model, "127.0.0.1", 0, 4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return json.readTree(r.body());
    }

    private static void error(int status, String pathAndQuery, String words) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json.readTree(r.body());
        assertTrue(e.get("error").asText().contains(words), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
    }

    @Test
    void recommendationsEqualTheModelsOwn() throws Exception {
        JsonNode health = ok("/health");
        assertEquals("ok", health.get("status").asText());
        assertEquals(model.numUsers(), health.get("users").asInt());
        String user = model.getUsers().externalId(7);
        JsonNode r = ok("/recommend?user=" + user + "&k=10");
        List<Recommendation> expected = model.recommend(user, 10);
        assertEquals(10, r.get("items").size());
        for (int i = 0; i < 10; i++) {
            assertEquals(expected.get(i).itemId(), r.get("items").get(i).get("item").asText());
            assertEquals(expected.get(i).score(), (float) r.get("items").get(i).get("score").asDouble());
        }
        // excluded items leave the list; the next ones move up
        String first = expected.get(0).itemId();
        String third = expected.get(2).itemId();
        JsonNode ex = ok("/recommend?user=" + user + "&k=8&exclude=" + first + "," + third);
        List<String> left = new ArrayList<>();
        for (Recommendation rec : expected) {
            if (!rec.itemId().equals(first) && !rec.itemId().equals(third)) {
                left.add(rec.itemId());
            }
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(left.get(i), ex.get("items").get(i).get("item").asText());
        }
        // scores of given items, in the given order, as the model scores them
        JsonNode s = ok("/score?user=" + user + "&items=" + third + ",0," + first);
        float[] all = new float[model.numItems()];
        model.scoreUsers(new int[]{7}, all);
        assertEquals(all[Integer.parseInt(third)], (float) s.get("scores").get(0).get("score").asDouble());
        assertEquals(all[0], (float) s.get("scores").get(1).get("score").asDouble());
        assertEquals(first, s.get("scores").get(2).get("item").asText());
        JsonNode p = ok("/provenance");
        assertEquals(16, p.get("trainer").get("embeddingSize").asInt());
        assertEquals(model.numItems(), p.get("items").asInt());
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        String user = model.getUsers().externalId(0);
        error(404, "/recommend?user=no-such-user&k=5", "unknown user 'no-such-user'");
        error(400, "/recommend?user=" + user + "&k=0", "'k' must be");
        error(400, "/recommend?user=" + user + "&k=abc", "'k' must be");
        error(400, "/recommend?user=" + user + "&k=1001", "'k' must be");
        error(400, "/recommend?k=5", "'user' is missing");
        error(404, "/recommend?user=" + user + "&exclude=99999", "unknown item '99999'");
        error(404, "/score?user=" + user + "&items=1,x", "unknown item 'x'");
        error(400, "/score?user=" + user, "'items' is missing");
        error(400, "/recommend?user=" + user + "&user=" + user, "given twice");
        // (the JDK's client will not send a malformed escape; the parser refuses it all the same)
        ModelServer.HttpError bad = assertThrows(ModelServer.HttpError.class, () -> ModelServer.query("user=%zz"));
        assertEquals(400, bad.status);
        assertTrue(bad.getMessage().contains("percent-encoding"), bad.getMessage());
        error(404, "/admin", "no such path");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void concurrentClientsGetTheSameAnswers() throws Exception {
        String user = model.getUsers().externalId(3);
        String expected = get("/recommend?user=" + user + "&k=20").body();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(clients.submit(() -> get("/recommend?user=" + user + "&k=20").body()));
            }
            for (Future<String> a : answers) {
                assertEquals(expected, a.get());
            }
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void aStoppedServerRefusesConnections() throws Exception {
        ModelServer other = new ModelServer(model, "127.0.0.1", 0, 1);
        int port = other.port();
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        other.stop(1);
        assertThrows(java.io.IOException.class, () -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString()));
    }
}
