package org.crane.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes .npy files with arbitrary headers and payloads, for reader tests. */
public final class NpyFiles {
    private NpyFiles() {
    }

    /**
     * @param version NPY major version (1, 2 or 3).
     * @param dict the header dictionary text.
     * @param payload the data bytes.
     * @return the file's bytes.
     */
    public static byte[] npy(int version, String dict, byte[] payload) {
        int lenBytes = version == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lenBytes + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer len = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            len.putShort((short) header.length);
        } else {
            len.putInt(header.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(header);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * @param values float values.
     * @return little-endian float32 bytes.
     */
    public static byte[] f4(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * @param values double values.
     * @return little-endian float64 bytes.
     */
    public static byte[] f8(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /**
     * @param dtype the descr.
     * @param rows rows.
     * @param cols cols.
     * @return a standard header dictionary.
     */
    public static String dict(String dtype, long rows, long cols) {
        return "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    }

    /**
     * @param file destination.
     * @param bytes content.
     * @param gzip whether to gzip it.
     * @return the file.
     * @throws IOException on failure.
     */
    public static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        if (gzip) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
                o.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        return file;
    }
}
