package org.crane.graph;

import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Loads a class that links against the JDK's incubating vector API only when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (the {@code crane} launcher and the tests are), so
 * that the library still runs, in plain Java, without it. Every vector kernel of the library is
 * loaded here: the kNN search's ({@link RowDots}, {@link BarScan}) and the sparse feature products
 * ({@code engine.SparseKernel}).
 */
public final class VectorApi {
    private VectorApi() {
    }

    /**
     * @param type the interface.
     * @param className the vector implementation's class (a no-argument constructor, any access).
     * @param fallback what runs instead, for the log lines (e.g. "kNN search uses plain Java").
     * @param <T> the interface.
     * @return the vector implementation, or empty when the module is absent (logged at FINE) or the
     *         class cannot load (logged as a warning).
     */
    public static <T> Optional<T> load(Class<T> type, String className, String fallback) {
        Logger log = Logger.getLogger(VectorApi.class.getName());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            log.fine(() -> "jdk.incubator.vector not enabled (java --add-modules jdk.incubator.vector): " + fallback);
            return Optional.empty();
        }
        try {
            Constructor<?> c = Class.forName(className).getDeclaredConstructor();
            c.setAccessible(true);   // the implementations are package-private, loaded by name from here
            return Optional.of(type.cast(c.newInstance()));
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | SecurityException e) {
            log.warning("Vector API unavailable (" + e + "): " + fallback);
            return Optional.empty();
        }
    }

    /**
     * @param type the interface.
     * @param className the vector implementation's class.
     * @param plain the plain-Java implementation.
     * @param fallback what runs instead, for the log lines.
     * @param <T> the interface.
     * @return the vector implementation when it loads ({@link #load}), else {@code plain}.
     */
    static <T> T implementation(Class<T> type, String className, T plain, String fallback) {
        return load(type, className, fallback).orElse(plain);
    }
}
