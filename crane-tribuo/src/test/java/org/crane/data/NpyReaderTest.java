package org.crane.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.crane.data.NpyFiles.dict;
import static org.crane.data.NpyFiles.f4;
import static org.crane.data.NpyFiles.f8;
import static org.crane.data.NpyFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"1,<f4,false", "2,<f4,false", "3,<f4,false", "1,<f8,false", "1,<f4,true", "2,<f8,true"})
    void readsEveryVersionDtypeAndGzip(int version, String dtype, boolean gzip) throws IOException {
        byte[] payload = dtype.equals("<f4") ? f4(1, 2, 3, 4, 5, -6.5f) : f8(1, 2, 3, 4, 5, -6.5);
        Path f = NpyFiles.write(dir.resolve("m.npy" + (gzip ? ".gz" : "")), npy(version, dict(dtype, 2, 3), payload), gzip);
        FeatureMatrix m = NpyReader.read(f);
        assertEquals("m", m.name());
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, -6.5f}, m.values());
        assertEquals(6f, m.get(1, 1) + 1f);
    }

    @Test
    void writerRoundTrips() throws IOException {
        FeatureMatrix m = new FeatureMatrix("x", 3, 2, new float[]{0.5f, 1, 2, 3, 4, Float.MIN_VALUE});
        Path f = dir.resolve("x.npy");
        NpyWriter.write(m, f);
        assertArrayEquals(m.values(), NpyReader.read(f).values());
    }

    private DataFormatException bad(String dictText, byte[] payload) throws IOException {
        Path f = NpyFiles.write(dir.resolve("bad.npy"), npy(1, dictText, payload), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void rejectsWrongDtype() throws IOException {
        assertTrue(bad(dict("<i4", 1, 2), f4(1, 2)).getMessage().contains("'<i4' is not supported"));
        assertTrue(bad(dict(">f4", 1, 2), f4(1, 2)).getMessage().contains("'>f4'"));
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        String d = "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }";
        assertTrue(bad(d, f4(1, 2)).getMessage().contains("Fortran"));
    }

    @Test
    void rejectsWrongRank() throws IOException {
        assertTrue(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4(1, 2, 3, 4)).getMessage().contains("2-D"));
        assertTrue(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2), }", f4(1, 2, 3, 4)).getMessage().contains("2-D"));
    }

    @Test
    void rejectsHugeOrNegativeShapeBeforeAllocating() throws IOException {
        assertTrue(bad(dict("<f4", 4_000_000_000L, 4_000_000_000L), f4(1)).getMessage().contains("too large"));
        assertTrue(bad(dict("<f4", 100_000, 100_000), f4(1)).getMessage().contains("too large"));
        assertTrue(bad(dict("<f4", 50_000, 40_000), f4(1)).getMessage().contains("needs"));
        assertTrue(bad(dict("<f4", -1, 3), f4(1)).getMessage().contains("positive"));
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        assertTrue(bad(dict("<f4", 2, 3), f4(1, 2, 3)).getMessage().contains("needs"));
        Path f = NpyFiles.write(dir.resolve("t.npy.gz"), Arrays.copyOf(npy(1, dict("<f4", 2, 3), f4(1, 2, 3, 4, 5, 6)), 140), true);
        assertThrows(DataFormatException.class, () -> NpyReader.read(f));
    }

    @Test
    void rejectsNonFiniteValuesNamingRowAndColumn() throws IOException {
        DataFormatException e = bad(dict("<f4", 2, 2), f4(1, 2, 3, Float.NaN));
        assertTrue(e.getMessage().contains("row 1 (item 1), column 1"), e.getMessage());
        assertTrue(bad(dict("<f8", 1, 2), f8(1, 1e300)).getMessage().contains("finite"));
    }

    @Test
    void rejectsNotNpyAndMissingFile() throws IOException {
        Path f = NpyFiles.write(dir.resolve("x.npy"), "hello world, not numpy".getBytes(), false);
        assertTrue(assertThrows(DataFormatException.class, () -> NpyReader.read(f)).getMessage().contains("magic"));
        assertThrows(NoSuchFileException.class, () -> NpyReader.read(dir.resolve("missing.npy")));
    }
}
