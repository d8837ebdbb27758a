package org.crane.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the shared real datasets: {@code -Dcrane.data=DIR}, by default {@code ../shared/data}. */
public final class SharedData {
    private SharedData() {
    }

    /**
     * @param name a folder of the shared data.
     * @return its path; the calling test is skipped (with the reason) when it is absent.
     */
    public static Path folder(String name) {
        Path p = Path.of(System.getProperty("crane.data", "../shared/data"), name);
        Assumptions.assumeTrue(Files.isDirectory(p), "shared data " + p + " is absent; set -Dcrane.data=DIR to run this test");
        return p;
    }
}
