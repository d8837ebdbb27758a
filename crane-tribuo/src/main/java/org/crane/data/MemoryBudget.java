package org.crane.data;

import java.util.Locale;

/**
 * Checks an allocation a file or a setting asks for against the heap this JVM may still use, before
 * making it, so that a crafted header or a large setting ends in a message with an estimate rather
 * than an OutOfMemoryError. Sizes are computed in {@code long}, so they cannot overflow on the way.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** Thrown when an allocation would not fit: an {@link IllegalArgumentException} with the estimate. */
    public static final class TooLarge extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** @return bytes this JVM may still allocate on the heap (its maximum less what is in use). */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param what what needs the memory, as the message should name it (e.g. "image.npy: shape (500, 64)").
     * @param bytes the estimate.
     * @throws TooLarge when it exceeds {@link #available()}.
     */
    public static void require(String what, long bytes) {
        long free = available();
        if (bytes < 0 || bytes > free) {
            throw new TooLarge(what + " needs about " + human(bytes) + " of memory; this JVM can use " + human(free)
                    + " more (raise -Xmx, e.g. CRANE_JAVA_OPTS=-Xmx16g for the crane launcher)");
        }
    }

    /**
     * @param count a number of 4-byte values.
     * @param what what they are, for the message.
     * @return the count as an int, when one Java array can hold it.
     * @throws TooLarge when it cannot.
     */
    public static int arrayLength(long count, String what) {
        if (count < 0 || count > Integer.MAX_VALUE - 16) {
            throw new TooLarge(what + " holds " + count + " values, more than one Java array can (" + (Integer.MAX_VALUE - 16) + ")");
        }
        return (int) count;
    }

    /**
     * @param bytes a size.
     * @return it in B, KiB, MiB or GiB with one decimal.
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
