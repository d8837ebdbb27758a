package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One trainable tensor: its values and its gradient in direct buffers that ONNX Runtime reads and
 * writes without copying (the value tensor is a graph input, the gradient tensor a pinned output),
 * plus Adam's moment estimates.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final long[] shape;
    private final int size;
    private final FloatBuffer value;
    private final FloatBuffer grad;
    private final OnnxTensor valueTensor;
    private final OnnxTensor gradTensor;
    final float[] m;
    final float[] v;

    Parameter(OrtEnvironment env, String name, long[] shape, float[] init) {
        long n = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Parameter '" + name + "' needs a positive static shape, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != init.length) {
            throw new IllegalArgumentException("Parameter '" + name + "' of shape " + Arrays.toString(shape) + " needs " + n + " values, got " + init.length);
        }
        this.name = name;
        this.shape = shape.clone();
        this.size = (int) n;
        this.value = direct(size);
        this.grad = direct(size);
        this.value.put(0, init);
        this.m = new float[size];
        this.v = new float[size];
        try {
            this.valueTensor = OnnxTensor.createTensor(env, value, shape);
            this.gradTensor = OnnxTensor.createTensor(env, grad, shape);
        } catch (OrtException e) {
            throw new EngineException("Cannot wrap parameter '" + name + "'", e);
        }
    }

    static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** @return the name (the graph input's name). */
    public String name() {
        return name;
    }

    /** @return the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of values. */
    public int size() {
        return size;
    }

    /** @return the values (direct; the graph reads them in place). */
    public FloatBuffer value() {
        return value;
    }

    /** @return the last gradient written by a training step. */
    public FloatBuffer grad() {
        return grad;
    }

    /** @return the tensor over {@link #value()} to feed as the graph input. */
    public OnnxTensor valueTensor() {
        return valueTensor;
    }

    /** @return the tensor over {@link #grad()} to pin as a graph output. */
    public OnnxTensor gradTensor() {
        return gradTensor;
    }

    /** @return a copy of the values. */
    public float[] copyValues() {
        float[] out = new float[size];
        value.get(0, out);
        return out;
    }

    /** @param values new values (same size). */
    public void setValues(float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("Parameter '" + name + "' has " + size + " values, got " + values.length);
        }
        value.put(0, values);
    }

    /** @return Adam's first moments (copy). */
    public float[] copyFirstMoment() {
        return m.clone();
    }

    /** @return Adam's second moments (copy). */
    public float[] copySecondMoment() {
        return v.clone();
    }

    /**
     * Restores Adam's moments.
     * @param first first moments.
     * @param second second moments.
     */
    public void setMoments(float[] first, float[] second) {
        System.arraycopy(first, 0, m, 0, size);
        System.arraycopy(second, 0, v, 0, size);
    }

    @Override
    public void close() {
        valueTensor.close();
        gradTensor.close();
    }
}
