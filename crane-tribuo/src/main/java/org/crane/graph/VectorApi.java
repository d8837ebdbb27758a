package org.crane.graph;

import java.util.logging.Logger;

/**
 * Loads a class that links against the JDK's incubating vector API only when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (the {@code crane} launcher and the tests are), so
 * that the library still runs, in plain Java, without it.
 */
final class VectorApi {
    private VectorApi() {
    }

    /**
     * @param className the vector implementation's class (a no-argument constructor).
     * @param plain the plain-Java implementation.
     * @param what what uses it, for the warning when the module is present but the class cannot load.
     * @param <T> the interface.
     * @return the vector implementation when the module is present, else {@code plain}.
     */
    @SuppressWarnings("unchecked")
    static <T> T implementation(String className, T plain, String what) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return plain;
        }
        try {
            return (T) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            Logger.getLogger(VectorApi.class.getName()).warning("Vector API unavailable (" + e + "): " + what + " uses plain Java");
            return plain;
        }
    }
}
