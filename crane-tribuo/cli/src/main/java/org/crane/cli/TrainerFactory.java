package org.crane.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.crane.data.Excerpt;
import org.crane.data.ItemFeatureSource;
import org.crane.train.CraneTrainer;
import org.crane.train.TrainerSettings;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the trainer for a command: from an OLCUT XML file (the component named {@code trainer},
 * or the only CraneTrainer in it) or from defaults, with {@code --set name=value} overrides applied
 * as OLCUT property overrides, so they are recorded in the provenance like any other field.
 */
final class TrainerFactory {
    static final String TRAINER = "trainer";

    private TrainerFactory() {
    }

    static CraneTrainer create(Path config, List<String> sets, ItemFeatureSource features, boolean replaceFeatures) throws Exception {
        return create(config, sets, features, replaceFeatures, null);
    }

    /**
     * @param data the command's data folder, bound to the configuration's {@code ${data}} property
     *        (so a file written for one checkout reads the folder the user named), or null.
     */
    static CraneTrainer create(Path config, List<String> sets, ItemFeatureSource features, boolean replaceFeatures, Path data)
            throws Exception {
        return create(config, parseSets(sets), features, replaceFeatures, data);
    }

    /**
     * @param sets {@code name=value} entries, as {@code --set} takes them.
     * @return field to value, in order (a later entry for a field wins).
     * @throws IllegalArgumentException naming an entry that is not {@code name=value}.
     */
    static Map<String, String> parseSets(List<String> sets) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set '" + Excerpt.of(s) + "' is not of the form name=value");
            }
            values.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return values;
    }

    /**
     * @param config the configuration file, or null.
     * @param modalities the command's modality selection.
     * @param noModalities whether the command asked for LightGCN.
     * @return whether the trainer reads the command's data folder's features instead of the file's own: without a
     *         file, or when the command line selects the modalities (or none).
     */
    static boolean replacesFeatures(Path config, List<String> modalities, boolean noModalities) {
        return config == null || !modalities.isEmpty() || noModalities;
    }

    /**
     * @param values trainer fields overridden, field to value as text.
     * @see #create(Path, List, ItemFeatureSource, boolean, Path)
     */
    static CraneTrainer create(Path config, Map<String, String> values, ItemFeatureSource features, boolean replaceFeatures, Path data)
            throws Exception {
        ConfigurationManager cm;
        String name = TRAINER;
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new NoSuchFileException(config.toString(), null, "configuration file not found");
            }
            ConfigFileGuard.check(config);
            try {
                cm = new ConfigurationManager(config.toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
            }
            if (data != null) {
                cm.setGlobalProperty("data", data.toAbsolutePath().normalize().toString());
            }
            if (!cm.getComponentNames().contains(TRAINER)) {
                Map<String, CraneTrainer> all;
                try {
                    all = cm.lookupAllMap(CraneTrainer.class);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
                }
                if (all.size() != 1) {
                    throw new IllegalArgumentException(config + ": expected a component named '" + TRAINER + "' or exactly one CraneTrainer, found " + all.keySet());
                }
                name = all.keySet().iterator().next();
            }
        } else {
            cm = new ConfigurationManager();
            cm.addConfiguration(CraneTrainer.class, TRAINER);
        }
        try {
            return configure(cm, name, config, values, features, replaceFeatures);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException((config == null ? "" : config + ": ") + "cannot build the trainer: "
                    + Excerpt.of(String.valueOf(e.getMessage()), 300), e);
        }
    }

    private static CraneTrainer configure(ConfigurationManager cm, String name, Path config, Map<String, String> values,
                                          ItemFeatureSource features, boolean replaceFeatures) {
        if (replaceFeatures) {
            TrainerSettings.useFeatures(cm, name, features);
        }
        values.forEach((field, value) -> {
            try {
                TrainerSettings.override(cm, name, field, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--set " + Excerpt.of(field + "=" + value) + ": " + e.getMessage(), e);
            }
        });
        String prefix = config == null ? "" : config + ": ";
        try {
            return TrainerSettings.lookup(cm, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // OLCUT follows component references recursively; a component that refers to itself never ends
            throw new IllegalArgumentException(prefix + "the configuration's components refer to each other in a cycle "
                    + "(e.g. a field naming its own component)");
        }
    }
}
