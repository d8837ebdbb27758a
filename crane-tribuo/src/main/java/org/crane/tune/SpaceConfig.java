package org.crane.tune;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A search written as an OLCUT configuration (what {@code crane tune --space SPACE.xml} reads): the searched
 * fields, random or grid points and the halving schedule.
 * <pre>{@code
 * <component name="space" type="org.crane.tune.SpaceConfig">
 *   <propertylist name="search"><item>learningRate=0.0025,0.005,0.01</item><item>edgeDropRate=uniform(0,0.2)</item></propertylist>
 *   <property name="random" value="12"/>
 *   <propertylist name="halving"><item>20</item><item>60</item></propertylist>
 * </component>
 * }</pre>
 */
public final class SpaceConfig implements Configurable {
    @Config(mandatory = true, description = "Searched fields, each 'field=values': v1,v2,... or uniform(a,b), loguniform(a,b), int(a,b).")
    private List<String> search = new ArrayList<>();
    @Config(description = "Random points to try (0: the whole grid).")
    private int random = 0;
    @Config(description = "Seed of the random points.")
    private long samplingSeed = 1;
    @Config(description = "Successive halving: rising epoch budgets before full training (empty: every point trained in full).")
    private int[] halving = new int[0];
    @Config(description = "Successive halving's reduction factor: each rung keeps the best 1/eta of its points.")
    private int eta = 2;

    private SpaceConfig() {
    }

    @Override
    public void postConfig() {
        try {
            SearchSpace.parse(search);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "search", e.getMessage());
        }
        if (random < 0) {
            throw new PropertyException("", "random", "must be >= 0, got " + random);
        }
        try {
            halving();
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", e.getMessage().contains("eta") ? "eta" : "halving", e.getMessage());
        }
    }

    /** @return the searched fields as entries {@code field=values}. */
    public List<String> search() {
        return List.copyOf(search);
    }

    /** @return random points to try, 0 for the grid. */
    public int random() {
        return random;
    }

    /** @return the seed of the random points. */
    public long samplingSeed() {
        return samplingSeed;
    }

    /** @return the halving schedule. */
    public Halving halving() {
        return new Halving(Arrays.stream(halving).boxed().toList(), eta);
    }

    /** @return the points this space defines. */
    public List<Map<String, String>> points() {
        SearchSpace space = SearchSpace.parse(search);
        return random > 0 ? space.random(random, samplingSeed) : space.grid();
    }
}
