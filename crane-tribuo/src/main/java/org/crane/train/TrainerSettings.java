package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.crane.data.ItemFeatureSource;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@link CraneTrainer}'s {@code @Config} fields set by name from text, as OLCUT property overrides so
 * that they are recorded in provenance like any other field: what {@code --set name=value} and a
 * hyper-parameter search do. A list field takes comma-separated values.
 */
public final class TrainerSettings {
    /** The trainer's configurable fields. */
    public static final SortedSet<String> FIELDS;
    /** Those of them that hold lists. */
    public static final Set<String> LIST_FIELDS;
    /** The component name the item features get when they replace a configuration's. */
    static final String FEATURES = "item-features";

    static {
        SortedSet<String> fields = new TreeSet<>();
        Set<String> lists = new HashSet<>();
        for (Field f : CraneTrainer.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Config.class)) {
                fields.add(f.getName());
                if (java.util.List.class.isAssignableFrom(f.getType())) {
                    lists.add(f.getName());
                }
            }
        }
        FIELDS = Collections.unmodifiableSortedSet(fields);
        LIST_FIELDS = Collections.unmodifiableSet(lists);
    }

    private TrainerSettings() {
    }

    /**
     * Overrides one field of a trainer component.
     * @param cm the configuration.
     * @param component the trainer's component name.
     * @param field the field.
     * @param value its value as text.
     * @throws IllegalArgumentException when the trainer has no such field.
     */
    public static void override(ConfigurationManager cm, String component, String field, String value) {
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("CraneTrainer has no field '" + org.crane.data.Excerpt.of(field) + "'; its fields are "
                    + String.join(", ", FIELDS));
        }
        if (LIST_FIELDS.contains(field)) {
            cm.overrideConfigurableProperty(component, field, ListProperty.createFromStringList(
                    Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList()));
        } else {
            cm.overrideConfigurableProperty(component, field, new SimpleProperty(value));
        }
    }

    /**
     * Makes a trainer component read the given item features instead of its own.
     * @param cm the configuration.
     * @param component the trainer's component name.
     * @param features the item modalities.
     */
    public static void useFeatures(ConfigurationManager cm, String component, ItemFeatureSource features) {
        cm.importConfigurable(features, FEATURES);
        cm.overrideConfigurableProperty(component, "itemFeatures", new SimpleProperty(FEATURES));
    }

    /**
     * Builds (and validates) a trainer component.
     * @param cm the configuration.
     * @param component the trainer's component name.
     * @return the trainer.
     * @throws IllegalArgumentException naming the field at fault, when the trainer refuses a value.
     */
    public static CraneTrainer lookup(ConfigurationManager cm, String component) {
        try {
            return (CraneTrainer) cm.lookup(component);
        } catch (PropertyException e) {
            String where = e.getProperty() == null || e.getProperty().isEmpty() ? "" : "trainer field '" + e.getProperty() + "': ";
            throw new IllegalArgumentException(where + e.getMsg(), e);
        }
    }

    /**
     * A trainer with every default but the given fields.
     * @param features the item modalities, or null for LightGCN.
     * @param values field name to value as text, applied in order.
     * @return the validated trainer.
     * @throws IllegalArgumentException naming the field at fault.
     */
    public static CraneTrainer create(ItemFeatureSource features, Map<String, String> values) {
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(CraneTrainer.class, "trainer");
        if (features != null) {
            useFeatures(cm, "trainer", features);
        }
        values.forEach((field, value) -> override(cm, "trainer", field, value));
        return lookup(cm, "trainer");
    }
}
