package org.crane.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's packages form layers: the graph of which package names a class of which other
 * package (by import or fully qualified name, read from the sources) has no cycle, and the library
 * names none of the command-line tool's dependencies. {@code jdeps -verbose:package} on the compiled
 * classes gives the same graph; this test keeps it so.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.crane(?:\\.[a-z]+)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                if (!pm.find()) {
                    continue;
                }
                String from = pm.group(1);
                Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(text.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", ""));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        return edges;
    }

    @Test
    void thePackagesHaveNoImportCycle() throws IOException {
        Map<String, Set<String>> edges = packageGraph();
        assertTrue(edges.size() >= 8, "found the library's packages: " + edges.keySet());
        // Kahn's algorithm: repeatedly remove packages that depend on no remaining package
        Map<String, Set<String>> left = new TreeMap<>();
        edges.forEach((k, v) -> left.put(k, new TreeSet<>(v)));
        left.values().forEach(v -> v.retainAll(edges.keySet()));
        List<String> order = new ArrayList<>();
        boolean progress = true;
        while (progress && !left.isEmpty()) {
            progress = false;
            for (String p : new ArrayList<>(left.keySet())) {
                if (left.get(p).isEmpty()) {
                    order.add(p);
                    left.remove(p);
                    left.values().forEach(v -> v.remove(p));
                    progress = true;
                }
            }
        }
        assertEquals(Map.of(), left, "packages in an import cycle (each with the packages it still needs); layers so far: " + order);
    }

    @Test
    void theLibraryNamesNoneOfTheToolsDependencies() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                for (String tool : List.of("picocli", "org.knowm.xchart", "me.tongfei")) {
                    assertTrue(!text.contains(tool), f + " uses " + tool + ", a dependency of the command-line tool only");
                }
            }
        }
    }
}
