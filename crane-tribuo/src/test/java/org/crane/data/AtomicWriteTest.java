package org.crane.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWriteNamesTheFileAndLeavesTheOldOneWhole() throws IOException {
        Path target = Files.writeString(dir.resolve("model.bin"), "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.to(target, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(target.toAbsolutePath() + ": cannot be written (No space left on device)"), e.getMessage());
        assertEquals("old content", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aSuccessfulWriteReplacesTheFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");
        AtomicWrite.to(target, tmp -> Files.writeString(tmp, "new"));
        assertEquals("new", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
