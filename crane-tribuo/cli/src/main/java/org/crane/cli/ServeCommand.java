package org.crane.cli;

import org.crane.serve.ModelServer;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code crane serve}: a model behind a JSON HTTP API until the process is stopped (Ctrl-C or SIGTERM end it cleanly). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over HTTP: GET /health, /recommend?user=ID&k=K[&exclude=ID,ID], /score?user=ID&items=ID,ID, /provenance "
                + "(JSON; errors as {\"error\": ...} with 400/404/405). Ctrl-C or SIGTERM stop it after the requests under way.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path modelFile;
    @Option(names = "--host", description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host = "127.0.0.1";
    @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}; 0: any free port, printed).")
    int port = 8080;
    @Option(names = "--threads", description = "Worker threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be from 1 to 1024, got " + threads);
        }
        PrintWriter o = spec.commandLine().getOut();
        CraneModel model = ModelFiles.load(modelFile);
        CountDownLatch stopped = new CountDownLatch(1);
        ModelServer server;
        try {
            server = new ModelServer(model, host, port, threads);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(5);
            o.println("Stopped.");
            o.flush();
            stopped.countDown();
        }, "crane-serve-stop"));
        o.printf("Serving %s (%d users, %d items) on http://%s:%d/ with %d threads; Ctrl-C stops%n", modelFile, model.numUsers(),
                model.numItems(), host, server.port(), threads);
        o.flush();
        stopped.await();
        return 0;
    }
}
