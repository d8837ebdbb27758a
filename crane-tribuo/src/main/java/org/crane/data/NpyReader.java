package org.crane.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads 2-D NumPy {@code .npy} files (format versions 1.0, 2.0, 3.0), optionally gzipped
 * ({@code .npy.gz}): little-endian float32 or float64 (converted to float32), C order. The header
 * is validated before any large allocation, and every value must be finite.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers over 10,000 bytes by default; a real 2-D header is under 200. */
    private static final int MAX_HEADER = 1 << 16;
    /** Deflate cannot expand beyond about 1032:1, so a gzip claiming more than this is corrupt or crafted. */
    private static final long MAX_GZIP_RATIO = 1100;

    private NpyReader() {
    }

    /**
     * Reads a matrix named after its file (the name without {@code .npy} / {@code .npy.gz}).
     * @param file the file.
     * @return the matrix.
     * @throws IOException when the file cannot be read.
     */
    public static FeatureMatrix read(Path file) throws IOException {
        return read(file, modalityName(file));
    }

    /**
     * @param file a .npy or .npy.gz file.
     * @return the file name without its .npy / .npy.gz extension.
     */
    public static String modalityName(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".npy.gz")) {
            return n.substring(0, n.length() - 7);
        }
        return n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
    }

    /**
     * Reads a matrix.
     * @param file the .npy or .npy.gz file.
     * @param name the modality name to give it.
     * @return the matrix.
     * @throws IOException when the file cannot be read.
     * @throws DataFormatException when it is not a finite 2-D little-endian float matrix in C order.
     */
    public static FeatureMatrix read(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "feature file not found");
        }
        boolean gz = isGzip(file);
        long payload = gz ? gzipUncompressedSizeMod32(file) : Files.size(file);
        long onDisk = Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
             DataInputStream din = new DataInputStream(in)) {
            byte[] magic = new byte[6];
            readFully(din, magic, file, "the NPY magic string");
            for (int i = 0; i < 6; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new DataFormatException(file, -1, "is not a NumPy .npy file (bad magic string)");
                }
            }
            int major = din.readUnsignedByte();
            din.readUnsignedByte();
            long headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(din.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(din.readInt()));
            } else {
                throw new DataFormatException(file, -1, "NPY format version " + major + " is not supported (1, 2 or 3 expected)");
            }
            if (headerLen > MAX_HEADER) {
                throw new DataFormatException(file, -1, "NPY header length " + headerLen + " exceeds " + MAX_HEADER + " bytes");
            }
            byte[] hb = new byte[(int) headerLen];
            readFully(din, hb, file, "the NPY header");
            String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            int prefix = 6 + 2 + (major == 1 ? 2 : 4) + (int) headerLen;
            if (gz) {
                // deflate's expansion is bounded: check the shape against the compressed size before allocating
                long data = NpyHeader.parse(file, header).dataBytes();
                long needed = data == Long.MAX_VALUE ? data : prefix + data;
                if (needed > onDisk * MAX_GZIP_RATIO) {
                    throw new DataFormatException(file, -1, "is a corrupt gzip stream: its header's shape needs " + needed
                            + " bytes, more than " + onDisk + " compressed bytes can hold");
                }
            }
            FeatureMatrix m = readBody(file, name, header, din, payload, prefix, gz);
            if (gz && din.read() >= 0) {
                throw new DataFormatException(file, -1, "holds data after the matrix");
            }
            return m;
        } catch (EOFException e) {
            throw new DataFormatException(file, -1, "is truncated: " + e.getMessage(), e);
        } catch (java.util.zip.ZipException e) {
            // GZIPInputStream checks the CRC and the length in the trailer once the stream is read to its end
            throw new DataFormatException(file, -1, "is not a valid gzip stream: " + Excerpt.of(String.valueOf(e.getMessage())), e);
        }
    }

    private static FeatureMatrix readBody(Path file, String name, String header, DataInputStream din,
                                          long payload, int prefix, boolean gz) throws IOException {
        NpyHeader h = NpyHeader.parse(file, header);
        String descr = h.descr();
        String fortran = h.fortranOrder();
        String shapeText = h.shape();
        int itemSize;
        if (descr.equals("<f4") || descr.equals("f4")) {
            itemSize = 4;
        } else if (descr.equals("<f8") || descr.equals("f8")) {
            itemSize = 8;
        } else {
            throw new DataFormatException(file, -1, "dtype '" + Excerpt.of(descr) + "' is not supported; expected little-endian float32 ('<f4') or float64 ('<f8')");
        }
        if (fortran.equals("True")) {
            throw new DataFormatException(file, -1, "is in Fortran (column-major) order; expected C order (np.ascontiguousarray)");
        }
        String[] dims = shapeText.split(",");
        long[] shape = new long[2];
        int rank = 0;
        for (String d : dims) {
            String t = d.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (rank == 2) {
                rank++;
                break;
            }
            try {
                shape[rank++] = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, -1, "shape (" + Excerpt.of(shapeText) + ") has a non-integer dimension '" + Excerpt.of(t) + "'");
            }
        }
        if (rank != 2) {
            throw new DataFormatException(file, -1, "has shape (" + Excerpt.of(shapeText.trim()) + "); expected a 2-D matrix (items, features)");
        }
        long rows = shape[0];
        long cols = shape[1];
        if (rows <= 0 || cols <= 0) {
            throw new DataFormatException(file, -1, "has shape (" + rows + ", " + cols + "); both dimensions must be positive");
        }
        long count = rows * cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(file, -1, "shape (" + rows + ", " + cols + ") is too large for one float array");
        }
        long expected = prefix + count * itemSize;
        long expectedCheck = gz ? expected & 0xFFFFFFFFL : expected;
        if (payload != expectedCheck) {
            if (gz) {
                throw new DataFormatException(file, -1, "is a truncated or corrupt gzip stream, or holds the wrong amount of data: its "
                        + "trailer records " + payload + " bytes (mod 2^32) uncompressed, shape (" + rows + ", " + cols + ") of " + descr
                        + " needs " + expected);
            }
            throw new DataFormatException(file, -1, "holds " + payload + " bytes; shape (" + rows + ", " + cols + ") of " + descr
                    + " needs " + expected);
        }
        MemoryBudget.require(file + ": shape (" + rows + ", " + cols + ")", 4 * count);
        float[] values = new float[(int) count];
        byte[] buf = new byte[1 << 16];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        long total = count * itemSize;
        long done = 0;
        int out = 0;
        while (done < total) {
            int want = (int) Math.min(buf.length, total - done);
            readFully(din, buf, 0, want, file, "the matrix data");
            if (itemSize == 4) {
                bb.clear();
                bb.asFloatBuffer().get(values, out, want / 4);
                out += want / 4;
            } else {
                for (int i = 0; i < want; i += 8) {
                    double v = bb.getDouble(i);
                    float f = (float) v;
                    if (Double.isFinite(v) && !Float.isFinite(f)) {
                        long row = out / cols;
                        throw new DataFormatException(file, row + 1, "row " + row + " (item " + row + "), column " + (out % cols)
                                + " holds " + v + ", beyond the float32 range the model computes in; features must be finite");
                    }
                    values[out++] = f;
                }
            }
            done += want;
        }
        FeatureMatrix m = new FeatureMatrix(name, (int) rows, (int) cols, values);
        int[] bad = m.firstNonFinite();
        if (bad != null) {
            throw new DataFormatException(file, bad[0] + 1, "row " + bad[0] + " (item " + bad[0] + "), column " + bad[1]
                    + " holds " + m.get(bad[0], bad[1]) + "; features must be finite");
        }
        return m;
    }

    private static void readFully(DataInputStream in, byte[] b, Path file, String what) throws IOException {
        readFully(in, b, 0, b.length, file, what);
    }

    private static void readFully(DataInputStream in, byte[] b, int off, int len, Path file, String what) throws IOException {
        try {
            in.readFully(b, off, len);
        } catch (EOFException e) {
            throw new DataFormatException(file, -1, "is truncated while reading " + what, e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The gzip trailer's ISIZE: the uncompressed size modulo 2^32. */
    private static long gzipUncompressedSizeMod32(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() < 18) {
                throw new DataFormatException(file, -1, "is too short to be a gzip file");
            }
            raf.seek(raf.length() - 4);
            byte[] b = new byte[4];
            raf.readFully(b);
            return Integer.toUnsignedLong(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
    }
}
