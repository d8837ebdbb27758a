package org.crane.graph;

import java.util.Arrays;

/**
 * A binary sparse matrix as padded neighbour lists, the layout of a scatter-free product
 * {@code (B X)[r] = sum over r's entries c of X[c]}: every row's column indices are listed, rows
 * of one degree class padded to a common width with the index {@code cols} (a zero row appended
 * to X), so that the product is a gather of [rows, width] indices and a sum over the width axis
 * per class, with no scatter-add. Rows with one entry form their own class (a plain gather);
 * rows with two or more are split into {@code buckets} width classes chosen to minimise the
 * padding (dynamic programming over the distinct degrees). {@code perm[r]} is row r's position in
 * the concatenated class results (one-entry rows first, then the buckets in order); rows with
 * no entries point one past the end, at a zero row.
 * @param rows the matrix's row count.
 * @param cols the matrix's column count (also the padding index).
 * @param perm position of each row in the concatenated results, length rows.
 * @param single column of each one-entry row, in result order.
 * @param widths width of each bucket (at least 2; 2 for an empty bucket).
 * @param buckets the column lists of each bucket, row-major [rows in bucket, width].
 */
public record NeighbourLists(int rows, int cols, int[] perm, int[] single, int[] widths, int[][] buckets) {

    /** Width classes for rows with two or more entries: a fixed count, so graphs can declare them. */
    public static final int BUCKETS = 16;

    /** Validates the layout. */
    public NeighbourLists {
        if (perm.length != rows || widths.length != buckets.length) {
            throw new IllegalArgumentException("Inconsistent neighbour lists: " + perm.length + " positions for " + rows
                    + " rows, " + widths.length + " widths for " + buckets.length + " buckets");
        }
        for (int b = 0; b < buckets.length; b++) {
            if (widths[b] < 2 || buckets[b].length % widths[b] != 0) {
                throw new IllegalArgumentException("Bucket " + b + " has width " + widths[b] + " and " + buckets[b].length + " entries");
            }
        }
    }

    /**
     * The neighbour lists of a binary matrix given in coordinate form; a row's entries keep their
     * coordinate order, so the sums are deterministic.
     * @param rows the row count.
     * @param cols the column count.
     * @param row row index per entry.
     * @param col column index per entry.
     * @param numBuckets width classes for rows of degree two or more.
     * @return the lists.
     */
    public static NeighbourLists of(int rows, int cols, int[] row, int[] col, int numBuckets) {
        if (row.length != col.length) {
            throw new IllegalArgumentException(row.length + " row indices but " + col.length + " column indices");
        }
        if (numBuckets < 1) {
            throw new IllegalArgumentException("numBuckets must be positive, got " + numBuckets);
        }
        int[] start = new int[rows + 1];
        for (int k = 0; k < row.length; k++) {
            if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException("Entry " + k + " at (" + row[k] + ", " + col[k] + ") is outside " + rows + " x " + cols);
            }
            start[row[k] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        int[] next = Arrays.copyOf(start, rows);
        int[] adj = new int[row.length];
        for (int k = 0; k < row.length; k++) {
            adj[next[row[k]]++] = col[k];
        }
        int maxDeg = 0;
        for (int r = 0; r < rows; r++) {
            maxDeg = Math.max(maxDeg, start[r + 1] - start[r]);
        }
        long[] count = new long[maxDeg + 1];
        for (int r = 0; r < rows; r++) {
            count[start[r + 1] - start[r]]++;
        }
        int[] widths = widths(count, numBuckets);
        // rows per class: 0 = one entry, 1 + b = bucket b
        int[] classOf = new int[maxDeg + 1];
        Arrays.fill(classOf, -1);
        if (maxDeg >= 1) {
            classOf[1] = 0;
        }
        for (int deg = 2, b = 0; deg <= maxDeg; deg++) {
            while (widths[b] < deg) {
                b++;
            }
            classOf[deg] = 1 + b;
        }
        int[] classRows = new int[numBuckets + 1];
        for (int r = 0; r < rows; r++) {
            int deg = start[r + 1] - start[r];
            if (deg > 0) {
                classRows[classOf[deg]]++;
            }
        }
        int[] single = new int[classRows[0]];
        int[][] buckets = new int[numBuckets][];
        for (int b = 0; b < numBuckets; b++) {
            buckets[b] = new int[classRows[b + 1] * widths[b]];
            Arrays.fill(buckets[b], cols);
        }
        int[] offset = new int[numBuckets + 2];
        for (int c = 0; c <= numBuckets; c++) {
            offset[c + 1] = offset[c] + classRows[c];
        }
        int total = offset[numBuckets + 1];
        int[] filled = new int[numBuckets + 1];
        int[] perm = new int[rows];
        for (int r = 0; r < rows; r++) {
            int deg = start[r + 1] - start[r];
            if (deg == 0) {
                perm[r] = total;
                continue;
            }
            int c = classOf[deg];
            int slot = filled[c]++;
            perm[r] = offset[c] + slot;
            if (c == 0) {
                single[slot] = adj[start[r]];
            } else {
                System.arraycopy(adj, start[r], buckets[c - 1], slot * widths[c - 1], deg);
            }
        }
        return new NeighbourLists(rows, cols, perm, single, widths, buckets);
    }

    /**
     * Bucket widths minimising the padded size {@code sum over rows of width(row) - degree(row)}
     * for rows of degree two or more: the distinct degrees are cut into at most {@code numBuckets}
     * contiguous runs, each padded to its largest degree. Unused buckets get width 2 and no rows.
     * @param count rows per degree.
     * @param numBuckets the bucket count.
     * @return ascending widths, the last one the largest degree.
     */
    static int[] widths(long[] count, int numBuckets) {
        int u = 0;
        for (int deg = 2; deg < count.length; deg++) {
            if (count[deg] > 0) {
                u++;
            }
        }
        int[] deg = new int[u];
        long[] cum = new long[u + 1];
        for (int d = 2, j = 0; d < count.length; d++) {
            if (count[d] > 0) {
                deg[j] = d;
                cum[j + 1] = cum[j] + count[d];
                j++;
            }
        }
        int[] widths = new int[numBuckets];
        Arrays.fill(widths, 2);
        if (u == 0) {
            return widths;
        }
        int k = Math.min(numBuckets, u);
        // cost[g][j]: least padded size of degrees 0..j-1 in g runs; cut[g][j]: start of the last run
        long[][] cost = new long[k + 1][u + 1];
        int[][] cut = new int[k + 1][u + 1];
        for (long[] c : cost) {
            Arrays.fill(c, Long.MAX_VALUE);
        }
        cost[0][0] = 0;
        for (int g = 1; g <= k; g++) {
            for (int j = g; j <= u; j++) {
                long best = Long.MAX_VALUE;
                int arg = -1;
                for (int i = g - 1; i < j; i++) {
                    if (cost[g - 1][i] == Long.MAX_VALUE) {
                        continue;
                    }
                    long c = cost[g - 1][i] + (long) deg[j - 1] * (cum[j] - cum[i]);
                    if (c < best) {
                        best = c;
                        arg = i;
                    }
                }
                cost[g][j] = best;
                cut[g][j] = arg;
            }
        }
        int[] used = new int[k];
        for (int g = k, j = u; g >= 1; g--) {
            used[g - 1] = deg[j - 1];
            j = cut[g][j];
        }
        // unused buckets first with width 2 (degree-2 rows land in the first of them: no padding),
        // the chosen widths last and ascending
        System.arraycopy(used, 0, widths, numBuckets - k, k);
        return widths;
    }

    /** @return stored entries including padding (the gathered row count of one product). */
    public long paddedSize() {
        long s = single.length;
        for (int[] b : buckets) {
            s += b.length;
        }
        return s;
    }
}
