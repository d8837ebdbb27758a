package org.crane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from Linux's /proc (NaN elsewhere), for benchmark tables. */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** @return the peak resident set size (VmHWM) in MiB, or NaN when unknown. */
    static double peakRssMb() {
        return field("VmHWM:");
    }

    /** @return the current resident set size (VmRSS) in MiB, or NaN when unknown. */
    static double rssMb() {
        return field("VmRSS:");
    }

    /**
     * Starts a measured phase: a full garbage collection first, so that the garbage of earlier
     * phases (generating synthetic data, reading files) is not counted as the phase's memory, then
     * {@link #resetPeak()}. The phase's peak then covers the live data and what the phase allocates.
     */
    @SuppressWarnings("java:S1215") // an explicit GC is the point here: a benchmark's phase boundary
    static void startPhase() {
        System.gc();
        resetPeak();
    }

    /** Resets the peak to the current resident size (Linux 4.0+), so a phase's own peak can be read. */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or not permitted: peaks then cover the whole process
        }
    }

    private static double field(String name) {
        return field(STATUS, name);
    }

    /**
     * @param status a process's {@code /proc/PID/status}.
     * @param name a field with its colon, e.g. {@code VmHWM:}.
     * @return its value in MiB, or NaN when unknown (no such file: the process has ended, or not Linux).
     */
    static double field(Path status, String name) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
