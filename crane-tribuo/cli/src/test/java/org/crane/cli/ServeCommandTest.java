package org.crane.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.crane.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code crane serve} as a process: it answers on the port it prints and stops cleanly on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    /** @return a small model trained on the demo data. */
    private Path demoModel() throws Exception {
        Path data = dir.resolve("demo");
        assertEquals(0, run("demo", "--write-data", data.toString()).code());
        Path model = dir.resolve("m.model");
        assertEquals(0, run("train", "--data", data.toString(), "--set", "maxEpochs=2", "--set", "embeddingSize=8", "--out", model.toString()).code());
        return model;
    }

    @Test
    void servesUntilSigtermThenStopsCleanly() throws Exception {
        Path model = demoModel();

        Path log = dir.resolve("serve.log");
        Process p = ChildJvm.start(CraneCli.class, log, "serve", "--model", model.toString(), "--port", "0", "--threads", "2");
        try {
            Pattern at = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int port = -1;
            while (port < 0) {
                Matcher m = at.matcher(Files.exists(log) ? Files.readString(log) : "");
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the server did not start: " + Files.readString(log));
                } else {
                    Thread.sleep(20);
                }
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/recommend?user=0&k=3")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("{\"user\":\"0\",\"items\":[{\"item\":"), r.body());
        } finally {
            p.destroy();   // SIGTERM
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertTrue(out.contains("Stopped."), out);
        assertTrue(!out.contains("Exception"), out);
    }

    @Test
    void refusesAPortInUseInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path model = demoModel();
            CliRunner.Run r = run("serve", "--model", model.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()) && r.err().lines().count() == 1, r.err());
        }
    }
}
