package org.crane.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The one way this library reaches the ONNX Runtime environment, so that using it writes nothing
 * outside what the user named:
 * <ul>
 *   <li>Telemetry. ONNX Runtime 1.29 on Linux and macOS writes a device id and an event cache under
 *   {@code ~/.cache/Microsoft/DeveloperTools} and may send usage events, unless the environment
 *   variable {@value #TELEMETRY_VARIABLE}=1 is set before the process starts (a JVM cannot set it
 *   for itself). The {@code crane} launcher and the build's tests set it; a program that embeds the
 *   library and has not set it gets one WARNING saying so. The runtime's own switch is also turned off.</li>
 *   <li>Temporary folders. The ONNX Runtime Java loader unpacks its native libraries into a fresh
 *   {@code onnxruntime-java*} folder under {@code java.io.tmpdir} and leaves the folder behind at exit
 *   (it asks for the folder to be deleted before its files). The folders that appear while this class
 *   opens the environment are removed, files first, when the JVM exits.</li>
 * </ul>
 */
public final class OrtRuntime {
    private static final Logger logger = Logger.getLogger(OrtRuntime.class.getName());

    /** The environment variable that turns ONNX Runtime's telemetry off for the whole process. */
    public static final String TELEMETRY_VARIABLE = "ORT_DISABLE_TELEMETRY";
    private static final String TEMP_PREFIX = "onnxruntime-java";

    private static volatile OrtEnvironment environment;

    private OrtRuntime() {
    }

    /** @return the process-wide environment, opened on first use as described above. */
    public static OrtEnvironment environment() {
        OrtEnvironment e = environment;
        if (e == null) {
            synchronized (OrtRuntime.class) {
                e = environment;
                if (e == null) {
                    e = open();
                    environment = e;
                }
            }
        }
        return e;
    }

    /** @return whether the process was started with ONNX Runtime telemetry turned off. */
    public static boolean telemetryOff() {
        return "1".equals(System.getenv(TELEMETRY_VARIABLE));
    }

    private static OrtEnvironment open() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = runtimeFolders(tmp);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Set<Path> mine = runtimeFolders(tmp);
        mine.removeAll(before);
        if (!mine.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> mine.forEach(OrtRuntime::deleteQuietly), "crane-ort-cleanup"));
        }
        try {
            env.setTelemetry(false);
        } catch (OrtException | RuntimeException ex) {
            logger.fine(() -> "ONNX Runtime refused to turn telemetry events off: " + ex.getMessage());
        }
        if (!telemetryOff()) {
            logger.warning(TELEMETRY_VARIABLE + " is not 1: ONNX Runtime writes a device id under ~/.cache/Microsoft and may send "
                    + "usage telemetry; set " + TELEMETRY_VARIABLE + "=1 before starting the JVM (the crane launcher does)");
        }
        return env;
    }

    /** The runtime's unpack folders in {@code dir} now. */
    static Set<Path> runtimeFolders(Path dir) {
        Set<Path> found = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    found.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            logger.fine(() -> "cannot list " + dir + ": " + e.getMessage());
        }
        return found;
    }

    /** Deletes the plain files in a folder (no recursion, no links followed), then the folder. */
    static void deleteQuietly(Path folder) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path f : ds) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(folder);
        } catch (IOException | RuntimeException e) {
            // best effort at exit: a folder another process still uses stays
        }
    }
}
