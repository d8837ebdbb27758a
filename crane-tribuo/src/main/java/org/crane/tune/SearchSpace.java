package org.crane.tune;

import org.crane.data.Excerpt;
import org.crane.train.TrainerSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trainer fields a search varies and the values each may take: a list of values
 * ({@code learningRate=0.001,0.005}), a uniform or log-uniform range ({@code edgeDropRate=uniform(0,0.5)},
 * {@code learningRate=loguniform(1e-4,1e-2)}) or an integer range ({@code userItemLayers=int(1,4)}).
 * A point of the space is a map from field to value text, as {@link TrainerSettings} takes.
 */
public final class SearchSpace {
    /** One searched field. */
    public sealed interface Dimension permits Choice, Uniform, LogUniform, IntRange {
        /** @return the trainer field. */
        String field();

        /** @return a value drawn from the dimension. */
        String sample(SplittableRandom rng);

        /** @return every value, for a grid; only lists and integer ranges have them. */
        default List<String> values() {
            throw new IllegalArgumentException(field() + " is a continuous range; a grid needs listed values (or use random search)");
        }
    }

    /** A list of values. */
    public record Choice(String field, List<String> values) implements Dimension {
        @Override
        public String sample(SplittableRandom rng) {
            return values.get(rng.nextInt(values.size()));
        }
    }

    /** Uniform on [lo, hi]. */
    public record Uniform(String field, double lo, double hi) implements Dimension {
        @Override
        public String sample(SplittableRandom rng) {
            return format(lo + (hi - lo) * rng.nextDouble());
        }
    }

    /** Log-uniform on [lo, hi], lo > 0. */
    public record LogUniform(String field, double lo, double hi) implements Dimension {
        @Override
        public String sample(SplittableRandom rng) {
            return format(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.nextDouble()));
        }
    }

    /** The integers lo..hi. */
    public record IntRange(String field, int lo, int hi) implements Dimension {
        @Override
        public String sample(SplittableRandom rng) {
            return Integer.toString(lo + rng.nextInt(hi - lo + 1));
        }

        @Override
        public List<String> values() {
            List<String> v = new ArrayList<>();
            for (int x = lo; x <= hi; x++) {
                v.add(Integer.toString(x));
            }
            return v;
        }
    }

    private static final Pattern RANGE = Pattern.compile("(uniform|loguniform|int)\\(\\s*([^,\\s]+)\\s*,\\s*([^)\\s]+)\\s*\\)");
    /** The most points a grid may have. */
    static final int MAX_GRID = 100_000;

    private final List<Dimension> dimensions;

    /** @param dimensions the searched fields, each once. */
    public SearchSpace(List<Dimension> dimensions) {
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("A search space needs at least one field");
        }
        List<String> seen = new ArrayList<>();
        for (Dimension d : dimensions) {
            if (!TrainerSettings.FIELDS.contains(d.field())) {
                throw new IllegalArgumentException("CraneTrainer has no field '" + Excerpt.of(d.field()) + "' to search; its fields are "
                        + String.join(", ", TrainerSettings.FIELDS));
            }
            if (seen.contains(d.field())) {
                throw new IllegalArgumentException("Field '" + d.field() + "' is searched twice");
            }
            seen.add(d.field());
        }
        this.dimensions = List.copyOf(dimensions);
    }

    /**
     * @param specs entries {@code field=values}, as above.
     * @return the space.
     * @throws IllegalArgumentException naming the entry at fault.
     */
    public static SearchSpace parse(List<String> specs) {
        List<Dimension> dims = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("search entry '" + Excerpt.of(spec) + "' is not of the form field=values");
            }
            String field = spec.substring(0, eq).trim();
            String v = spec.substring(eq + 1).trim();
            Matcher m = RANGE.matcher(v);
            try {
                if (m.matches()) {
                    dims.add(switch (m.group(1)) {
                        case "uniform" -> range(new Uniform(field, Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
                        case "loguniform" -> range(new LogUniform(field, Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
                        default -> range(new IntRange(field, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
                    });
                } else {
                    List<String> values = List.of(v.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException("no values");
                    }
                    dims.add(new Choice(field, values));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("search entry '" + Excerpt.of(spec) + "': " + e.getMessage(), e);
            }
        }
        return new SearchSpace(dims);
    }

    private static Dimension range(Dimension d) {
        boolean ok;
        if (d instanceof Uniform u) {
            ok = Double.isFinite(u.lo()) && Double.isFinite(u.hi()) && u.lo() <= u.hi();
        } else if (d instanceof LogUniform u) {
            ok = u.lo() > 0 && Double.isFinite(u.hi()) && u.lo() <= u.hi();
        } else if (d instanceof IntRange r) {
            ok = r.lo() <= r.hi();
        } else {
            ok = true;
        }
        if (!ok) {
            throw new IllegalArgumentException("the range is empty or not finite (log-uniform needs lo > 0)");
        }
        return d;
    }

    /** @return the searched fields. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /**
     * @return every point of the grid, the last field varying fastest.
     * @throws IllegalArgumentException when a field is a continuous range or the grid is too large.
     */
    public List<Map<String, String>> grid() {
        long size = 1;
        for (Dimension d : dimensions) {
            size *= d.values().size();
            if (size > MAX_GRID) {
                throw new IllegalArgumentException("The grid has more than " + MAX_GRID + " points; use random search");
            }
        }
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Dimension d : dimensions) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : points) {
                for (String v : d.values()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(d.field(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /**
     * @param n how many points.
     * @param seed the sampling seed (the same seed gives the same points).
     * @return n points drawn independently, field by field.
     */
    public List<Map<String, String>> random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, String>> points = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Map<String, String> p = new LinkedHashMap<>();
            for (Dimension d : dimensions) {
                p.put(d.field(), d.sample(rng));
            }
            points.add(p);
        }
        return points;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
