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
    /** Floats per bulk copy between a native buffer and the heap. */
    private static final int CHUNK = 1 << 14;
    private final int every;
    private final int d;
    private final Session forward;
    private final TrainingStep backward;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private final ParameterStore store;
    /**
     * Native buffers for the whole run: the view (HI, HU) as the forward graph writes them, and the
     * pending gradient sums, which an update scales to their mean in place and feeds to the backward step.
     */
    private final Buffers items;
    private final Buffers users;
    /**
     * {@code D_U^-1 R} (users x items) when the user profiles are computed here rather than in the
     * graphs (their gathers were the largest part of the graphs' working memory), else null.
     */
    private final UserProfiles profiles;
    private boolean current;
    private int pending;
    private long updates;
    private long forwardNanos;
    private long backwardNanos;

    /** One side's view and gradient sums, each a native buffer under a tensor. */
    private record Buffers(FloatBuffer view, OnnxTensor viewTensor, FloatBuffer grad, OnnxTensor gradTensor) {
        static Buffers of(OrtEnvironment env, int rows, int d) {
            FloatBuffer view = Tensors.staging(Math.multiplyExact(rows, d));
            FloatBuffer grad = Tensors.staging(Math.multiplyExact(rows, d));
            return new Buffers(view, Tensors.over(env, view, rows, d), grad, Tensors.over(env, grad, rows, d));
        }

        void close() {
            viewTensor.close();
            gradTensor.close();
        }
    }

    /**
     * @param env the environment.
     * @param forward the session of {@link SemanticNetwork#forwardGraph()} in the backward step's projection
     *        layout: it reads the projections the backward step's offloads compute (closed with this).
     * @param backward the step of {@link SemanticNetwork#trainingGraph()} over the semantic parameters (closed with this).
     * @param store the parameters.
     * @param params the semantic parameters (those the backward step computes gradients of).
     * @param optimizer the semantic parameters' optimiser (its own step count).
     * @param numUsers M.
     * @param numItems N.
     * @param d the embedding size.
     * @param every steps between two updates (at least 1).
     * @param profiles the user profiles' products when the graphs have no user side, else null.
     */
    SemanticCache(OrtEnvironment env, Session forward, TrainingStep backward, ParameterStore store, List<Parameter> params,
                  Optimizer optimizer, int numUsers, int numItems, int d, int every, UserProfiles profiles) {
        this.forward = forward;
        this.backward = backward;
        this.store = store;
        this.optimizer = optimizer;
        this.every = every;
        this.d = d;
        this.params = params;
        this.items = Buffers.of(env, numItems, d);
        this.profiles = profiles;
        this.users = profiles != null || forward.spec().outputs().contains(SemanticNetwork.USERS) ? Buffers.of(env, numUsers, d) : null;
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
            Map<String, OnnxTensor> out = new HashMap<>();
            out.put(SemanticNetwork.ITEMS, items.viewTensor());
            if (users != null && profiles == null) {
                out.put(SemanticNetwork.USERS, users.viewTensor());
            }
            // offloaded projections (sparse features in Java) come from the backward step's offloads
            Map<String, OnnxTensorLike> in = new HashMap<>(feed);
            in.putAll(backward.offloadedValues(feed));
            forward.runInto(store.feed(forward.spec(), in::get), out);
            if (profiles != null) {
                profiles.forward(items.view(), users.view());
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
        in.put(SemanticNetwork.ITEMS_GRAD, mean(items, scale));
        if (users != null) {
            OnnxTensor usersGrad = mean(users, scale);
            if (profiles != null) {
                profiles.backward(items.grad(), users.grad());
            } else {
                in.put(SemanticNetwork.USERS_GRAD, usersGrad);
            }
        }
        backward.run(in);
        optimizer.step(params);
        clear(items.grad());
        if (users != null) {
            clear(users.grad());
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
        in.put(GraphInputs.SEMANTIC_ITEMS, Tensors.floats(env, gather(items.view(), localItems.length, r -> localItems[r]),
                localItems.length, d));
        if (users != null) {
            in.put(GraphInputs.SEMANTIC_USERS, Tensors.floats(env, gather(users.view(), localUsers.length, r -> (int) localUsers[r]),
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
                scatter(value.getFloatBuffer(), items.grad(), localItems.length, r -> localItems[r]);
            } else if (name.equals(TrainingStep.GRAD_PREFIX + GraphInputs.SEMANTIC_USERS)) {
                scatter(value.getFloatBuffer(), users.grad(), localUsers.length, r -> (int) localUsers[r]);
            }
        };
    }

    /**
     * @param feed the run's inputs.
     * @return the offloaded projections at the current parameters ({@link TrainingStep#offloadedValues}).
     */
    Map<String, OnnxTensor> offloadedValues(Map<String, ? extends OnnxTensorLike> feed) {
        return backward.offloadedValues(feed);
    }

    /** @return the time spent computing the view and updating, for the log: {forward, update} seconds. */
    double[] seconds() {
        return new double[]{forwardNanos / 1e9, backwardNanos / 1e9};
    }

    private float[] gather(FloatBuffer table, int rows, java.util.function.IntUnaryOperator row) {
        float[] out = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            table.get(row.applyAsInt(r) * d, out, r * d, d);
        }
        return out;
    }

    private void scatter(FloatBuffer grad, FloatBuffer sums, int rows, java.util.function.IntUnaryOperator row) {
        if (grad.limit() != rows * d) {
            throw new IllegalStateException("A semantic gradient has " + grad.limit() + " values, expected " + rows * d);
        }
        float[] g = new float[d];
        float[] sum = new float[d];
        for (int r = 0; r < rows; r++) {
            int base = row.applyAsInt(r) * d;
            grad.get(r * d, g, 0, d);
            sums.get(base, sum, 0, d);
            for (int c = 0; c < d; c++) {
                sum[c] += g[c];
            }
            sums.put(base, sum, 0, d);
        }
    }

    /** Scales one side's gradient sums to their mean, in place; returns the tensor over them. */
    private static OnnxTensor mean(Buffers b, float scale) {
        FloatBuffer g = b.grad();
        float[] chunk = new float[CHUNK];
        for (int from = 0; from < g.limit(); from += CHUNK) {
            int len = Math.min(CHUNK, g.limit() - from);
            g.get(from, chunk, 0, len);
            for (int k = 0; k < len; k++) {
                chunk[k] *= scale;
            }
            g.put(from, chunk, 0, len);
        }
        return b.gradTensor();
    }

    private static void clear(FloatBuffer b) {
        float[] zeros = new float[CHUNK];
        for (int from = 0; from < b.limit(); from += CHUNK) {
            b.put(from, zeros, 0, Math.min(CHUNK, b.limit() - from));
        }
    }

    @Override
    public void close() {
        items.close();
        if (users != null) {
            users.close();
        }
        forward.close();
        backward.close();
    }
}
