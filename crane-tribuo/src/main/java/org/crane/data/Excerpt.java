package org.crane.data;

/** Short quotes of text that came from a file or a command line someone else may have written. */
public final class Excerpt {
    /** The most characters a message quotes by default. */
    public static final int MAX = 100;

    private Excerpt() {
    }

    /**
     * @param s the text.
     * @param max the most characters kept.
     * @return the text, or its first {@code max} characters and "...".
     */
    public static String of(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /**
     * @param s the text.
     * @return at most {@link #MAX} characters of it.
     */
    public static String of(String s) {
        return of(s, MAX);
    }
}
