package org.crane.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What identifies a data file's bytes: its path, SHA-256, size and modification time.
 * @param path the file as given.
 * @param sha256 lower-case hex SHA-256 of the file's bytes.
 * @param size the size in bytes.
 * @param modified the modification time.
 */
public record FileFingerprint(String path, String sha256, long size, Instant modified) implements Serializable {

    /**
     * Hashes a file.
     * @param file the file.
     * @return its fingerprint.
     * @throws IOException when it cannot be read.
     */
    public static FileFingerprint of(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return new FileFingerprint(file.toString(), HexFormat.of().formatHex(md.digest()), Files.size(file),
                Files.getLastModifiedTime(file).toInstant());
    }

    /**
     * SHA-256 of float data (little-endian IEEE bytes), for matrices that exist only in memory.
     * @param values the data.
     * @return lower-case hex digest.
     */
    public static String sha256(float[] values) {
        MessageDigest md = sha256Digest();
        byte[] buf = new byte[4 * 4096];
        for (int off = 0; off < values.length; off += 4096) {
            int n = Math.min(4096, values.length - off);
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(values[off + i]);
                buf[4 * i] = (byte) bits;
                buf[4 * i + 1] = (byte) (bits >>> 8);
                buf[4 * i + 2] = (byte) (bits >>> 16);
                buf[4 * i + 3] = (byte) (bits >>> 24);
            }
            md.update(buf, 0, 4 * n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
