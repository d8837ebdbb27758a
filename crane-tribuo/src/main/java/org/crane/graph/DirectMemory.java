package org.crane.graph;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Returns a direct buffer's native memory at once rather than when the collector finds the buffer:
 * the 8-bit rows of a large catalogue are hundreds of megabytes that training would otherwise carry
 * until a collection (a heap near its limit may not collect for minutes). Uses the JDK's
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported), as Lucene and Netty do; where it
 * is missing the memory is left to the collector.
 */
final class DirectMemory {
    private static final MethodHandle CLEANER = find();

    private DirectMemory() {
    }

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            return MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** @return whether buffers are freed at once on this JDK. */
    static boolean available() {
        return CLEANER != null;
    }

    /**
     * Frees a direct buffer that nothing else uses any more (no slice or view of it may be read afterwards).
     * @param buffer a direct buffer allocated by {@link ByteBuffer#allocateDirect}, not a slice or view.
     */
    static void free(ByteBuffer buffer) {
        if (CLEANER == null || buffer == null || !buffer.isDirect()) {
            return;
        }
        try {
            CLEANER.invokeExact(buffer);
        } catch (Throwable t) {
            // a slice or a view, or the JDK refused: the collector frees it later
        }
    }
}
