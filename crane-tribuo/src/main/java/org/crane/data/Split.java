package org.crane.data;

/** The MMRec {@code x_label} values: which part of the data an interaction belongs to. */
public enum Split {
    /** x_label 0. */
    TRAIN,
    /** x_label 1. */
    VALID,
    /** x_label 2. */
    TEST;

    /** @return the MMRec x_label code of this split. */
    public int code() {
        return ordinal();
    }

    /**
     * @param code an x_label value.
     * @return the split, or null when the code is not 0, 1 or 2.
     */
    public static Split ofCode(int code) {
        return code >= 0 && code < 3 ? values()[code] : null;
    }

    /** @return the lower-case name used on the command line ("train", "valid", "test"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
