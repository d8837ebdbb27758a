package org.crane.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionReaderTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("d.inter"), content);
    }

    @Test
    void readsColumnsByNameInAnyOrder() throws IOException {
        Interactions in = InteractionReader.read(file("x_label\titemID\trating\tuserID\n0\t2\t1\t10\n0\t0\t3\t5\n1\t1\t1\t10\n2\t3\t1\t5\n"));
        assertEquals(4, in.size());
        assertEquals(2, in.numUsers());
        assertEquals(4, in.numItems());
        assertEquals("5", in.users().externalId(0));
        assertEquals(1, in.user(0));
        assertEquals(3f, in.weight(1));
        assertEquals(Split.TEST, in.split(3));
        assertEquals(2, in.count(Split.TRAIN));
        assertArrayEquals(new int[]{0}, in.itemsByUser(Split.TRAIN)[0]);
        assertArrayEquals(new int[]{2}, in.itemsByUser(Split.TRAIN)[1]);
        assertEquals(64, in.source().sha256().length());
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        String body = "userID\titemID\tx_label\n10\t2\t0\n5\t0\t0\n10\t1\t1\n";
        Interactions plain = InteractionReader.read(file(body));
        Interactions marked = InteractionReader.read(Files.writeString(dir.resolve("bom.inter"), "\uFEFF" + body));
        assertEquals(plain.size(), marked.size());
        for (int r = 0; r < plain.size(); r++) {
            assertEquals(plain.user(r), marked.user(r));
            assertEquals(plain.item(r), marked.item(r));
            assertEquals(plain.split(r), marked.split(r));
        }
        // a BOM anywhere else is data, and an id with it is not an integer
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> InteractionReader.read(file("userID\titemID\tx_label\n\uFEFF10\t2\t0\n")));
        assertTrue(e.getMessage().contains("d.inter:2: userID"), e.getMessage());
    }

    @Test
    void readsWithoutRatingAndUsesCatalogueSize() throws IOException {
        Interactions in = InteractionReader.read(file("userID\titemID\tx_label\n0\t1\t0\n1\t0\t0\n"), 5);
        assertEquals(5, in.numItems());
        assertEquals(1f, in.weight(0));
    }

    private String error(String content) throws IOException {
        Path f = file(content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> InteractionReader.read(f, 10));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputNamesFileLineAndExpectation() throws IOException {
        assertTrue(error("userID\titemID\n0\t1\n").contains("no column 'x_label'"));
        assertTrue(error("userID\titemID\tx_label\n0\t1\t0\nabc\t1\t0\n").contains(":3: userID 'abc' is not a non-negative integer"));
        assertTrue(error("userID\titemID\tx_label\n0\t1\t0\n0\t-4\t0\n").contains(":3: itemID '-4' is negative"));
        assertTrue(error("userID\titemID\tx_label\n0\t1\t0\n0\t2\t7\n").contains(":3: x_label '7' is not 0 (train), 1 (valid) or 2 (test)"));
        assertTrue(error("userID\titemID\tx_label\n0\t1\t1\n0\t2\t2\n").contains("no training interactions"));
        assertTrue(error("userID\titemID\tx_label\n0\t1\t0\n0\t2\n").contains(":3: has 2 fields, the header has 3"));
        assertTrue(error("userID\titemID\tx_label\n0\t12\t0\n").contains(":2: item id 12 is out of range"));
        assertTrue(error("userID\titemID\trating\tx_label\n0\t1\tNaN\t0\n").contains("not finite"));
        assertTrue(error("userID\titemID\tx_label\n").contains("no interactions"));
        assertTrue(error("").contains("empty file"));
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> InteractionReader.read(dir.resolve("nope.inter")));
    }
}
