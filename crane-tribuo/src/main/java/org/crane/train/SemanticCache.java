package org.crane.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import org.crane.engine.Optimizer;
import org.crane.engine.Parameter;
import org.crane.engine.ParameterStore;
import org.crane.engine.Session;
import org.crane.engine.Tensors;
import org.crane.engine.TrainingStep;
import org.crane.model.GraphInputs;
import org.crane.model.SemanticNetwork;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The semantic view of local steps with semantic updates every {@code every} steps: the semantic
 * parameters stay fixed between two updates, so the view computed at an update (HI of every item,
 * HU of every user: {@link SemanticNetwork#forwardGraph()}) is exact for every step until the next
 * one, and a step reads its local rows instead of recomputing the view. Each step's gradients with
 * respect to those rows are summed per item and per user; an update back-propagates their mean
 * through the semantic network once ({@link SemanticNetwork#trainingGraph()}: the gradient of the mean
 * of the steps' losses with respect to the semantic parameters, exactly) and takes one optimiser step
 * of the semantic parameters. The ID embeddings are updated every step, by the caller.
 */
final class SemanticCache implements AutoCloseable {
    private final int every;
    private final int d;
    private final Session forward;
    private final TrainingStep backward;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private final ParameterStore store;
    private final float[] items;
    private final float[] users;
    private final float[] itemGrad;
    private final float[] userGrad;
    /** The mean gradients fed to the backward step, in buffers reused by every update (created at the first). */
    private final Map<String, FloatBuffer> gradBuffers = new HashMap<>();
    private final Map<String, OnnxTensor> gradTensors = new HashMap<>();
    private boolean current;
    private int pending;
    private long updates;
    private long forwardNanos;
    private long backwardNanos;

    /**
     * @param forward the session of {@link SemanticNetwork#forwardGraph()} (closed with this).
     * @param backward the step of {@link SemanticNetwork#trainingGraph()} over the semantic parameters (closed with this).
     * @param store the parameters.
     * @param params the semantic parameters (those the backward step computes gradients of).
     * @param optimizer the semantic parameters' optimiser (its own step count).
     * @param numUsers M.
     * @param numItems N.
     * @param d the embedding size.
     * @param every steps between two updates (at least 1).
     */
    SemanticCache(Session forward, TrainingStep backward, ParameterStore store, List<Parameter> params, Optimizer optimizer, int numUsers,
                  int numItems, int d, int every) {
        this.forward = forward;
        this.backward = backward;
        this.store = store;
        this.optimizer = optimizer;
        this.every = every;
        this.d = d;
        this.params = params;
        this.items = new float[Math.multiplyExact(numItems, d)];
        this.itemGrad = new float[items.length];
        boolean profiles = forward.spec().outputs().contains(SemanticNetwork.USERS);
        this.users = profiles ? new float[Math.multiplyExact(numUsers, d)] : null;
        this.userGrad = profiles ? new float[users.length] : null;
    }

    /** @return the semantic parameters this updates. */
    List<Parameter> parameters() {
        return params;
    }

    /** @return the optimiser steps of the semantic parameters so far. */
    long updates() {
        return updates;
    }

    /**
     * Before step {@code stepInEpoch} of an epoch: on every {@code every}-th step (the first included)
     * the pending gradients update the semantic parameters; the view is then recomputed if they moved
     * (or it was never computed).
     * @param env the environment.
     * @param stepInEpoch the 0-based step within the epoch.
     * @param feed the run's inputs (features, item graph, R).
     */
    void beforeStep(OrtEnvironment env, int stepInEpoch, Map<String, ? extends OnnxTensorLike> feed) {
        if (stepInEpoch % every == 0) {
            update(env, feed);
        }
        if (!current) {
            long t0 = System.nanoTime();
            try (ai.onnxruntime.OrtSession.Result r = forward.run(store.feed(forward.spec(), feed::get), Map.of())) {
                read(r, SemanticNetwork.ITEMS, items);
                if (users != null) {
                    read(r, SemanticNetwork.USERS, users);
                }
            }
            current = true;
            forwardNanos += System.nanoTime() - t0;
        }
    }

    /**
     * Applies the pending gradients (at an epoch's end, so that a checkpoint holds no pending ones).
     * @param env the environment.
     * @param feed the run's inputs.
     */
    void update(OrtEnvironment env, Map<String, ? extends OnnxTensorLike> feed) {
        if (pending == 0) {
            return;
        }
        long t0 = System.nanoTime();
        float scale = 1f / pending;
        Map<String, OnnxTensorLike> in = new HashMap<>(feed);
        in.put(SemanticNetwork.ITEMS_GRAD, mean(env, SemanticNetwork.ITEMS_GRAD, itemGrad, scale));
        if (userGrad != null) {
            in.put(SemanticNetwork.USERS_GRAD, mean(env, SemanticNetwork.USERS_GRAD, userGrad, scale));
        }
        backward.run(in);
        optimizer.step(params);
        java.util.Arrays.fill(itemGrad, 0f);
        if (userGrad != null) {
            java.util.Arrays.fill(userGrad, 0f);
        }
        pending = 0;
        updates++;
        current = false;
        backwardNanos += System.nanoTime() - t0;
    }

    /**
     * @param env the environment.
     * @param localItems the step's local items (global ids), in {@link GraphInputs#LOCAL_ITEMS} order.
     * @param localUsers the step's distinct users, in {@link GraphInputs#CL_USERS} order.
     * @return the step's semantic inputs (close them).
     */
    Map<String, OnnxTensor> inputs(OrtEnvironment env, int[] localItems, long[] localUsers) {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put(GraphInputs.SEMANTIC_ITEMS, Tensors.floats(env, gather(items, localItems.length, r -> localItems[r]), localItems.length, d));
        if (users != null) {
            in.put(GraphInputs.SEMANTIC_USERS, Tensors.floats(env, gather(users, localUsers.length, r -> (int) localUsers[r]),
                    localUsers.length, d));
        }
        return in;
    }

    /**
     * @param localItems the step's local items.
     * @param localUsers the step's distinct users.
     * @return what receives the step's gradients of its semantic inputs: they are added to the pending sums.
     */
    BiConsumer<String, OnnxTensor> gradients(int[] localItems, long[] localUsers) {
        pending++;
        return (name, value) -> {
            if (name.equals(TrainingStep.GRAD_PREFIX + GraphInputs.SEMANTIC_ITEMS)) {
                scatter(value.getFloatBuffer(), itemGrad, localItems.length, r -> localItems[r]);
            } else if (name.equals(TrainingStep.GRAD_PREFIX + GraphInputs.SEMANTIC_USERS)) {
                scatter(value.getFloatBuffer(), userGrad, localUsers.length, r -> (int) localUsers[r]);
            }
        };
    }

    /** @return the time spent computing the view and updating, for the log: {forward, update} seconds. */
    double[] seconds() {
        return new double[]{forwardNanos / 1e9, backwardNanos / 1e9};
    }

    private float[] gather(float[] table, int rows, java.util.function.IntUnaryOperator row) {
        float[] out = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, row.applyAsInt(r) * d, out, r * d, d);
        }
        return out;
    }

    private void scatter(FloatBuffer grad, float[] sums, int rows, java.util.function.IntUnaryOperator row) {
        FloatBuffer g = grad.duplicate();
        g.rewind();
        if (g.remaining() != rows * d) {
            throw new IllegalStateException("A semantic gradient has " + g.remaining() + " values, expected " + rows * d);
        }
        for (int r = 0; r < rows; r++) {
            int base = row.applyAsInt(r) * d;
            for (int c = 0; c < d; c++) {
                sums[base + c] += g.get();
            }
        }
    }

    /** {@code sums * scale} in the input {@code name}'s reused tensor. */
    private OnnxTensor mean(OrtEnvironment env, String name, float[] sums, float scale) {
        FloatBuffer b = gradBuffers.computeIfAbsent(name, k -> Tensors.staging(sums.length));
        b.clear();
        for (float v : sums) {
            b.put(v * scale);
        }
        b.rewind();
        return gradTensors.computeIfAbsent(name, k -> Tensors.over(env, b, sums.length / d, d));
    }

    private void read(ai.onnxruntime.OrtSession.Result r, String name, float[] into) {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        if (b.remaining() != into.length) {
            throw new IllegalStateException("The semantic view '" + name + "' has " + b.remaining() + " values, expected " + into.length);
        }
        b.get(into);
    }

    @Override
    public void close() {
        gradTensors.values().forEach(OnnxTensor::close);
        forward.close();
        backward.close();
    }
}
