package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.Tensors;
import org.crane.graph.CooMatrix;
import org.crane.graph.CsrRows;
import org.crane.model.GraphInputs;
import org.crane.model.LocalNetwork;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The inputs of a {@link LocalNetwork} step that differ from the exact step's: the batch's distinct
 * items as a local node list, the triples' items as positions in it, and the local users' and
 * items' rows of the user-item adjacency. Its cost follows the batch's neighbourhoods, not the
 * catalogue. The adjacency is set whenever it changes (each epoch).
 */
final class LocalBatch {
    private final int numUsers;
    private final int numItems;
    /** Scratch: an item's position among the local items, or -1; reset after each use. */
    private final int[] slot;
    private CsrRows adjacency;

    /**
     * @param numUsers M.
     * @param numItems N.
     */
    LocalBatch(int numUsers, int numItems) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.slot = new int[numItems];
        Arrays.fill(slot, -1);
    }

    /** @param a the normalised user-item adjacency the epoch trains on ((M+N) x (M+N)). */
    void adjacency(CooMatrix a) {
        this.adjacency = CsrRows.of(a);
    }

    /**
     * The local inputs of one step.
     * @param inputs input name to tensor (close them).
     * @param items the local items, global ids.
     * @param userRows the local users' rows of Ahat (rows in {@link GraphInputs#CL_USERS} order, columns: items),
     *        entries in column order.
     * @param itemRows the local items' rows of Ahat (rows in {@link GraphInputs#LOCAL_ITEMS} order, columns: users),
     *        entries in column order.
     */
    record Step(Map<String, OnnxTensor> inputs, int[] items, CooMatrix userRows, CooMatrix itemRows) {
        /** @return the user-item adjacency entries the step reads. */
        int adjacencyEntries() {
            return userRows.nnz() + itemRows.nnz();
        }
    }

    /**
     * @param env the environment.
     * @param pos each triple's positive item.
     * @param neg each triple's negative item.
     * @param distinctUsers the batch's distinct users in first-seen order.
     * @param distinctPos the batch's distinct positive items in first-seen order.
     * @return the step's inputs (close them); they replace the batch's {@link GraphInputs#POS},
     *         {@link GraphInputs#NEG} and {@link GraphInputs#CL_ITEMS} with local positions.
     */
    Step build(OrtEnvironment env, long[] pos, long[] neg, long[] distinctUsers, long[] distinctPos) {
        int b = pos.length;
        // local items: the distinct positives, then the negatives not among them
        int[] items = new int[distinctPos.length + b];
        int f = 0;
        for (long item : distinctPos) {
            f = add(items, f, (int) item);
        }
        for (long item : neg) {
            f = add(items, f, (int) item);
        }
        items = Arrays.copyOf(items, f);
        int[] posLocal = new int[b];
        int[] negLocal = new int[b];
        for (int k = 0; k < b; k++) {
            posLocal[k] = slot[(int) pos[k]];
            negLocal[k] = slot[(int) neg[k]];
        }
        for (int item : items) {
            slot[item] = -1;
        }
        int[] users = new int[distinctUsers.length];
        for (int r = 0; r < users.length; r++) {
            users[r] = (int) distinctUsers[r];
        }
        int[] nodes = new int[f];
        for (int q = 0; q < f; q++) {
            nodes[q] = numUsers + items[q];
        }
        CooMatrix userRows = adjacencyRows(users, numItems, numUsers);
        CooMatrix itemRows = adjacencyRows(nodes, numUsers, 0);
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put(GraphInputs.POS, Tensors.longs(env, posLocal, b));
        in.put(GraphInputs.NEG, Tensors.longs(env, negLocal, b));
        in.put(GraphInputs.CL_ITEMS, Tensors.longs(env, range(distinctPos.length), distinctPos.length));
        in.put(GraphInputs.LOCAL_ITEMS, Tensors.longs(env, items, f));
        in.put(GraphInputs.ITEM_NODES, Tensors.longs(env, nodes, f));
        in.put(GraphInputs.LOCAL_USER_SLOTS, Tensors.longs(env, range(users.length), users.length));
        return new Step(in, items, userRows, itemRows);
    }

    /** Appends {@code item} to {@code list} unless it has a slot; returns the new size. */
    private int add(int[] list, int size, int item) {
        if (slot[item] >= 0) {
            return size;
        }
        slot[item] = size;
        list[size] = item;
        return size + 1;
    }

    /**
     * The adjacency's rows for {@code nodes}, columns shifted down by {@code shift} into [0, cols), with
     * the entries in column order as {@link FirstLayer} reads them (a counting sort by column).
     */
    private CooMatrix adjacencyRows(int[] nodes, int cols, int shift) {
        int[] start = new int[cols + 1];
        for (int node : nodes) {
            for (int e = adjacency.offset()[node]; e < adjacency.offset()[node + 1]; e++) {
                start[adjacency.col()[e] - shift + 1]++;
            }
        }
        for (int c = 0; c < cols; c++) {
            start[c + 1] += start[c];
        }
        int nnz = start[cols];
        int[] row = new int[nnz];
        int[] col = new int[nnz];
        float[] value = new float[nnz];
        for (int r = 0; r < nodes.length; r++) {
            for (int e = adjacency.offset()[nodes[r]]; e < adjacency.offset()[nodes[r] + 1]; e++) {
                int c = adjacency.col()[e] - shift;
                int q = start[c]++;
                row[q] = r;
                col[q] = c;
                value[q] = adjacency.value()[e];
            }
        }
        return new CooMatrix(nodes.length, cols, row, col, value);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int k = 0; k < n; k++) {
            r[k] = k;
        }
        return r;
    }
}
