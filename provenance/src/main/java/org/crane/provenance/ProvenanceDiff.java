package org.crane.provenance;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field-by-field comparison of provenances: each provenance is flattened to {@code path -> value}
 * (nested objects joined with '.', list entries as [i]) and the paths whose values differ between
 * any two inputs are listed; identical paths are counted per top-level section.
 */
public final class ProvenanceDiff {
    /** Paths whose values are expected to differ between any two runs (wall-clock times). */
    public static final List<String> VOLATILE = List.of("trained-at", "training-time", "datasource-creation-time", "modified");

    private final List<Map<String, String>> flat;
    private final TreeMap<String, List<String>> differing = new TreeMap<>();
    private final TreeMap<String, Integer> identicalBySection = new TreeMap<>();

    /**
     * @param provenances two or more provenances.
     */
    public ProvenanceDiff(List<? extends ObjectProvenance> provenances) {
        if (provenances.size() < 2) {
            throw new IllegalArgumentException("Comparing needs at least two provenances, got " + provenances.size());
        }
        flat = new ArrayList<>();
        for (ObjectProvenance p : provenances) {
            Map<String, String> m = new TreeMap<>();
            flatten("", ProvenanceUtil.convertToMap(p), m);
            flat.add(m);
        }
        TreeSet<String> paths = new TreeSet<>();
        for (Map<String, String> m : flat) {
            paths.addAll(m.keySet());
        }
        for (String path : paths) {
            List<String> values = new ArrayList<>();
            for (Map<String, String> m : flat) {
                values.add(m.getOrDefault(path, "(absent)"));
            }
            if (values.stream().distinct().count() > 1) {
                differing.put(path, values);
            } else {
                identicalBySection.merge(section(path), 1, Integer::sum);
            }
        }
    }

    private static String section(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? "(top level)" : path.substring(0, dot);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List) {
            List<Object> l = (List<Object>) value;
            for (int i = 0; i < l.size(); i++) {
                flatten(prefix + "[" + i + "]", l.get(i), out);
            }
        } else {
            out.put(prefix, Objects.toString(value));
        }
    }

    /** @return path to each input's value, for the paths that differ, sorted by path. */
    public Map<String, List<String>> differences() {
        return new LinkedHashMap<>(differing);
    }

    /**
     * @param includeVolatile also list wall-clock fields.
     * @return the differing paths, optionally without the volatile (time) fields.
     */
    public Map<String, List<String>> differences(boolean includeVolatile) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : differing.entrySet()) {
            if (includeVolatile || !isVolatile(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * @param path a flattened path.
     * @return whether it holds a wall-clock time.
     */
    public static boolean isVolatile(String path) {
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        for (String v : VOLATILE) {
            if (leaf.equals(v) || leaf.endsWith("-" + v)) {
                return true;
            }
        }
        return false;
    }

    /** @return top-level section to the number of identical fields in it. */
    public Map<String, Integer> identicalCounts() {
        return new LinkedHashMap<>(identicalBySection);
    }

    /**
     * @param i an input.
     * @return its flattened provenance.
     */
    public Map<String, String> flattened(int i) {
        return flat.get(i);
    }
}
