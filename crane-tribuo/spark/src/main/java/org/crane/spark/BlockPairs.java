package org.crane.spark;

import org.crane.graph.TopK;
import scala.Tuple2;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The work of one Spark partition: for each (user block, item block) pair, one dense product and each
 * user's top-K of that item block with their training items left out. Streams (user index, list)
 * pairs; the scorer is opened on first use and closed when the input ends.
 */
final class BlockPairs implements Iterator<Tuple2<Integer, TopList>> {
    private final Iterator<Tuple2<UserBlock, ItemBlock>> pairs;
    private final Scoring scoring;
    private final int d;
    private final int k;
    private final ArrayDeque<Tuple2<Integer, TopList>> ready = new ArrayDeque<>();
    private BlockScorer scorer;
    private float[] buffer = new float[0];

    /**
     * @param pairs the partition's block pairs.
     * @param scoring how to compute the products.
     * @param d the representation width.
     * @param k how many items per user.
     */
    BlockPairs(Iterator<Tuple2<UserBlock, ItemBlock>> pairs, Scoring scoring, int d, int k) {
        this.pairs = pairs;
        this.scoring = scoring;
        this.d = d;
        this.k = k;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && pairs.hasNext()) {
            Tuple2<UserBlock, ItemBlock> p = pairs.next();
            if (scorer == null) {
                scorer = scoring.open(d);
            }
            UserBlock ub = p._1();
            TopList[] tops = topK(ub, p._2(), scorer);
            for (int q = 0; q < tops.length; q++) {
                ready.add(new Tuple2<>(ub.users()[q], tops[q]));
            }
        }
        if (ready.isEmpty() && scorer != null) {
            scorer.close();
            scorer = null;
        }
        return !ready.isEmpty();
    }

    @Override
    public Tuple2<Integer, TopList> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /**
     * @return per user of the block, its best items of the item block (global indices), training items left out.
     */
    TopList[] topK(UserBlock ub, ItemBlock ib, BlockScorer s) {
        int nu = ub.users().length;
        int ni = ib.count(d);
        if (buffer.length < nu * ni) {
            buffer = new float[Math.multiplyExact(nu, ni)];
        }
        s.score(ub.embeddings(), ib.embeddings(), buffer);
        TopList[] out = new TopList[nu];
        int[] items = new int[Math.min(k, ni)];
        float[] scores = new float[items.length];
        for (int q = 0; q < nu; q++) {
            int[] excluded = within(ub.seen()[q], ib.start(), ni);
            int n = TopK.select(buffer, q * ni, ni, excluded, items.length, items, scores);
            int[] global = new int[n];
            for (int r = 0; r < n; r++) {
                global[r] = items[r] + ib.start();
            }
            out[q] = new TopList(global, Arrays.copyOf(scores, n));
        }
        return out;
    }

    /** @return the sorted items of {@code seen} in [start, start + count), relative to start. */
    static int[] within(int[] seen, int start, int count) {
        int from = lowerBound(seen, start);
        int to = lowerBound(seen, start + count);
        int[] out = new int[to - from];
        for (int j = from; j < to; j++) {
            out[j - from] = seen[j] - start;
        }
        return out;
    }

    private static int lowerBound(int[] a, int v) {
        int i = Arrays.binarySearch(a, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] == v) {
            i--;
        }
        return i;
    }
}
