package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.Tensors;
import org.crane.model.GraphInputs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a slice of the shuffled training pairs into the training graph's per-batch inputs: the
 * (u, i, j) triples with seeded uniform negatives; the batch's distinct users and distinct positive
 * items in first-seen order (the contrastive loss's views); and, when the graph computes profiles
 * per batch, each triple's position among the distinct users and R's rows for those users
 * ({@code 1 / |items(u)|} on each of user u's training items).
 */
final class MinibatchAssembler {
    private final int[][] itemsByUser;
    private final NegativeSampler sampler;
    private final boolean distinct;
    private final boolean profiles;
    private final int[] userSlot;
    private final boolean[] itemSeen;

    /**
     * @param itemsByUser each user's distinct training items.
     * @param numItems N.
     * @param sampler the negative sampler.
     * @param distinct whether the graph reads the distinct users and items.
     * @param profiles whether the graph reads the batch's rows of R and the users' slots.
     */
    MinibatchAssembler(int[][] itemsByUser, int numItems, NegativeSampler sampler, boolean distinct, boolean profiles) {
        this.itemsByUser = itemsByUser;
        this.sampler = sampler;
        this.distinct = distinct || profiles;
        this.profiles = profiles;
        this.userSlot = new int[itemsByUser.length];
        this.itemSeen = new boolean[numItems];
        Arrays.fill(userSlot, -1);
    }

    /**
     * @param env the environment.
     * @param pairUser the shuffled pairs' users.
     * @param pairItem the shuffled pairs' items.
     * @param start first pair of the batch.
     * @param b pairs in the batch.
     * @param negatives the epoch's negative-sampling stream (one draw per triple, in order).
     * @return input name to tensor; the caller closes them.
     */
    Map<String, OnnxTensor> assemble(OrtEnvironment env, int[] pairUser, int[] pairItem, int start, int b, SplittableRandom negatives) {
        long[] u = new long[b];
        long[] i = new long[b];
        long[] j = new long[b];
        long[] slots = new long[b];
        long[] users = new long[b];
        long[] items = new long[b];
        int nu = 0;
        int ni = 0;
        for (int k = 0; k < b; k++) {
            int user = pairUser[start + k];
            int item = pairItem[start + k];
            u[k] = user;
            i[k] = item;
            j[k] = sampler.sample(user, negatives);
            if (distinct) {
                if (userSlot[user] < 0) {
                    userSlot[user] = nu;
                    users[nu++] = user;
                }
                slots[k] = userSlot[user];
                if (!itemSeen[item]) {
                    itemSeen[item] = true;
                    items[ni++] = item;
                }
            }
        }
        for (int k = 0; k < nu; k++) {
            userSlot[(int) users[k]] = -1;
        }
        for (int k = 0; k < ni; k++) {
            itemSeen[(int) items[k]] = false;
        }
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        out.put(GraphInputs.USERS, Tensors.longs(env, u));
        out.put(GraphInputs.POS, Tensors.longs(env, i));
        out.put(GraphInputs.NEG, Tensors.longs(env, j));
        if (distinct) {
            out.put(GraphInputs.CL_USERS, Tensors.longs(env, Arrays.copyOf(users, nu)));
            out.put(GraphInputs.CL_ITEMS, Tensors.longs(env, Arrays.copyOf(items, ni)));
        }
        if (profiles) {
            out.put(GraphInputs.USER_SLOTS, Tensors.longs(env, slots));
            int nnz = 0;
            for (int k = 0; k < nu; k++) {
                nnz += itemsByUser[(int) users[k]].length;
            }
            long[] rows = new long[nnz];
            long[] cols = new long[nnz];
            float[] vals = new float[nnz];
            int q = 0;
            for (int k = 0; k < nu; k++) {
                int[] seen = itemsByUser[(int) users[k]];
                float v = 1f / seen.length;
                for (int item : seen) {
                    rows[q] = k;
                    cols[q] = item;
                    vals[q++] = v;
                }
            }
            String r = GraphInputs.BATCH_USER_MEAN;
            out.put(r + "_rows", Tensors.longs(env, rows));
            out.put(r + "_cols", Tensors.longs(env, cols));
            out.put(r + "_vals", Tensors.floats(env, vals, nnz, 1));
        }
        return out;
    }
}
