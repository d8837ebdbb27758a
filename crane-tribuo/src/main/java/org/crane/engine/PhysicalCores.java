package org.crane.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Counts physical cores (distinct physical id / core id pairs in /proc/cpuinfo); falls back to logical CPUs. */
final class PhysicalCores {
    private PhysicalCores() {
    }

    static int count() {
        int logical = Runtime.getRuntime().availableProcessors();
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return logical;
        }
        try {
            List<String> lines = Files.readAllLines(info);
            Set<String> cores = new HashSet<>();
            String phys = "0";
            for (String l : lines) {
                if (l.startsWith("physical id")) {
                    phys = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("core id")) {
                    cores.add(phys + "/" + l.substring(l.indexOf(':') + 1).trim());
                }
            }
            return cores.isEmpty() ? logical : Math.max(1, Math.min(logical, cores.size()));
        } catch (IOException e) {
            return logical;
        }
    }
}
