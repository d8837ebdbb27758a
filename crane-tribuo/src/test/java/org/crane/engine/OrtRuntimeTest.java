package org.crane.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrtRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void findsOnlyTheRuntimesUnpackFolders() throws IOException {
        Path a = Files.createDirectory(dir.resolve("onnxruntime-java123"));
        Files.createDirectory(dir.resolve("other-folder"));
        Files.writeString(dir.resolve("onnxruntime-java-file"), "a file, not a folder");
        assertEquals(Set.of(a), OrtRuntime.runtimeFolders(dir));
    }

    @Test
    void deletesTheFilesOfAFolderThenTheFolderButNothingBeyondIt() throws IOException {
        Path a = Files.createDirectory(dir.resolve("onnxruntime-java1"));
        Files.writeString(a.resolve("libonnxruntime.so"), "x");
        Files.writeString(a.resolve("libonnxruntime4j_jni.so"), "y");
        OrtRuntime.deleteQuietly(a);
        assertFalse(Files.exists(a));

        Path keep = Files.writeString(dir.resolve("keep.txt"), "mine");
        Path b = Files.createDirectory(dir.resolve("onnxruntime-java2"));
        Files.createSymbolicLink(b.resolve("link"), keep);
        Files.createDirectory(b.resolve("nested"));
        OrtRuntime.deleteQuietly(b);
        assertTrue(Files.exists(keep), "a link's target is never deleted");
        assertTrue(Files.exists(b.resolve("nested")), "no recursion into folders it did not make");
    }

    @Test
    void theBuildRunsWithTelemetryOffAndOneEnvironment() {
        // the build's surefire configuration sets ORT_DISABLE_TELEMETRY=1, as the crane launcher does
        assertTrue(OrtRuntime.telemetryOff(), OrtRuntime.TELEMETRY_VARIABLE + " should be 1 in the build");
        assertSame(OrtRuntime.environment(), OrtRuntime.environment());
    }
}
