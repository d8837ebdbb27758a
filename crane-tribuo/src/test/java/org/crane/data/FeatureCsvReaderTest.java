package org.crane.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRowsInAnyOrderWithHeader() throws IOException {
        Path f = Files.writeString(dir.resolve("f.csv"), "item,a,b\n1,3,4\n0,1.5,2\n");
        assertArrayEquals(new float[]{1.5f, 2, 3, 4}, FeatureCsvReader.read(f, "t", 2).values());
    }

    private String error(String content, int n) throws IOException {
        Path f = Files.writeString(dir.resolve("f.csv"), content);
        return assertThrows(DataFormatException.class, () -> FeatureCsvReader.read(f, "t", n)).getMessage();
    }

    @Test
    void badInput() throws IOException {
        assertTrue(error("0,1,2\n1,3\n", 2).contains(":2: has 1 values, earlier lines have 2 (ragged rows)"));
        assertTrue(error("0,1,2\n1,3,NaN\n", 2).contains(":2: value 2 is NaN"));
        assertTrue(error("0,1,2\n", 2).contains("item 1 has no features"));
        assertTrue(error("0,1,2\n0,1,2\n", 2).contains("item 0 appears a second time"));
        assertTrue(error("0,1,2\n5,1,2\n", 2).contains("item id 5 is out of range"));
        assertTrue(error("0,1,x\n", 1).contains("'x' is not a number"));
    }
}
