package org.crane.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes float32 matrices as NumPy .npy (format 1.0, little-endian, C order), atomically. */
public final class NpyWriter {
    private NpyWriter() {
    }

    /**
     * @param m the matrix.
     * @param file the destination; written to a temporary file first, then moved.
     * @throws IOException when it cannot be written.
     */
    public static void write(FeatureMatrix m, Path file) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        AtomicWrite.to(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                    (byte) (header.length & 0xff), (byte) (header.length >>> 8)});
                out.write(header);
                ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                float[] v = m.values();
                for (int off = 0; off < v.length; off += 1 << 14) {
                    int n = Math.min(1 << 14, v.length - off);
                    bb.clear();
                    bb.asFloatBuffer().put(v, off, n);
                    out.write(bb.array(), 0, 4 * n);
                }
            }
        });
    }
}
