package org.crane.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The int64 inputs describing a binary sparse matrix as padded neighbour lists (see
 * {@link Program#neighbourSum}): each row's position among the concatenated class results, the
 * column of each one-entry row, and one [rows, width] column tensor per bucket.
 * @param perm int64 [rows].
 * @param single int64 [one-entry rows].
 * @param buckets int64 [rows in bucket, width] each.
 */
public record NeighbourInputs(Tensor perm, Tensor single, List<Tensor> buckets) {

    /** Copies the bucket list. */
    public NeighbourInputs {
        buckets = List.copyOf(buckets);
    }

    /**
     * Declares the inputs {@code <prefix>perm}, {@code <prefix>one} and {@code <prefix>b<k>}.
     * @param p the program.
     * @param prefix the name prefix.
     * @param rows the matrix's row count, or -1 when known only at run time.
     * @param numBuckets the bucket count.
     * @return the inputs.
     */
    public static NeighbourInputs declare(Program p, String prefix, long rows, int numBuckets) {
        List<Tensor> b = new ArrayList<>();
        for (int k = 0; k < numBuckets; k++) {
            b.add(p.input(prefix + "b" + k, DType.INT64, -1, -1));
        }
        return new NeighbourInputs(p.input(prefix + "perm", DType.INT64, rows), p.input(prefix + "one", DType.INT64, -1), b);
    }

    /** @return how many node inputs one matrix's lists take: position, one-entry columns, buckets. */
    static int count(int numBuckets) {
        return 2 + numBuckets;
    }

    List<Tensor> all() {
        List<Tensor> t = new ArrayList<>();
        t.add(perm);
        t.add(single);
        t.addAll(buckets);
        return t;
    }

    static NeighbourInputs from(List<Tensor> in, int from, int numBuckets) {
        return new NeighbourInputs(in.get(from), in.get(from + 1), in.subList(from + 2, from + 2 + numBuckets));
    }
}
