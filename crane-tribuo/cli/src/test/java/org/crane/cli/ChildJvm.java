package org.crane.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class's main method in a separate JVM with this test JVM's class path, to be killed at will. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param main the class whose main method runs.
     * @param log where the child's standard output and error go.
     * @param args its arguments.
     * @return the running process.
     * @throws IOException when it cannot be started.
     */
    static Process start(Class<?> main, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
