package org.crane;

import org.tribuo.Example;
import org.tribuo.Feature;

/**
 * The one place that knows how a user travels in a Tribuo {@link Example}: as the single feature
 * {@code user=<external id>} with value 1. Datasets write it, the evaluator and the model read it.
 */
public final class UserFeature {
    /** The prefix of the feature name. */
    public static final String PREFIX = "user=";

    private UserFeature() {
    }

    /**
     * @param userId a user's external id.
     * @return the feature name that carries it.
     */
    public static String name(String userId) {
        return PREFIX + userId;
    }

    /**
     * @param featureName a feature name.
     * @return the user id it carries, or null when it is not a user feature.
     */
    public static String idOf(String featureName) {
        return featureName.startsWith(PREFIX) ? featureName.substring(PREFIX.length()) : null;
    }

    /**
     * @param example an interaction example.
     * @return its user's external id.
     * @throws IllegalArgumentException when it has no user feature.
     */
    public static String userOf(Example<?> example) {
        for (Feature f : example) {
            String id = idOf(f.getName());
            if (id != null) {
                return id;
            }
        }
        throw new IllegalArgumentException("Example has no '" + PREFIX + "<id>' feature");
    }
}
