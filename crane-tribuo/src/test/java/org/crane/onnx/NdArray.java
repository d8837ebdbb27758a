package org.crane.onnx;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** A float64 N-d array for the pure-Java oracle: row-major data and a shape. */
final class NdArray {
    final double[] data;
    final long[] shape;

    NdArray(double[] data, long... shape) {
        if (size(shape) != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        }
        this.data = data;
        this.shape = shape;
    }

    static long size(long[] shape) {
        long s = 1;
        for (long d : shape) {
            s *= d;
        }
        return s;
    }

    int rank() {
        return shape.length;
    }

    NdArray map(DoubleUnaryOperator f) {
        double[] o = new double[data.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = f.applyAsDouble(data[i]);
        }
        return new NdArray(o, shape.clone());
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static long[] broadcastShape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] s = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("No broadcast of " + Arrays.toString(a) + " and " + Arrays.toString(b));
            }
            s[i] = Math.max(x, y);
        }
        return s;
    }

    /** Index into this array for an index of a broadcast output shape. */
    private long offsetFor(long[] outIdx) {
        int lead = outIdx.length - shape.length;
        long off = 0;
        long[] st = strides(shape);
        for (int i = 0; i < shape.length; i++) {
            long ix = shape[i] == 1 ? 0 : outIdx[i + lead];
            off += ix * st[i];
        }
        return off;
    }

    static NdArray zip(NdArray a, NdArray b, DoubleBinaryOperator f) {
        long[] s = broadcastShape(a.shape, b.shape);
        double[] o = new double[(int) size(s)];
        long[] idx = new long[s.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = f.applyAsDouble(a.data[(int) a.offsetFor(idx)], b.data[(int) b.offsetFor(idx)]);
            for (int k = s.length - 1; k >= 0; k--) {
                if (++idx[k] < s[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new NdArray(o, s);
    }

    NdArray expandTo(long[] target) {
        return zip(this, new NdArray(new double[(int) size(target)], target), (x, y) -> x);
    }

    NdArray reshape(long[] target) {
        long[] s = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                s[i] = shape[i];
            }
            if (s[i] == -1) {
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            s[infer] = data.length / known;
        }
        return new NdArray(data, s);
    }

    NdArray transpose(int[] perm) {
        long[] s = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            s[i] = shape[perm[i]];
        }
        long[] inStr = strides(shape);
        double[] o = new double[data.length];
        long[] idx = new long[s.length];
        for (int i = 0; i < o.length; i++) {
            long off = 0;
            for (int k = 0; k < s.length; k++) {
                off += idx[k] * inStr[perm[k]];
            }
            o[i] = data[(int) off];
            for (int k = s.length - 1; k >= 0; k--) {
                if (++idx[k] < s[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new NdArray(o, s);
    }

    static NdArray matmul(NdArray a, NdArray b) {
        int ra = a.rank();
        int rb = b.rank();
        long m = a.shape[ra - 2];
        long k = a.shape[ra - 1];
        long n = b.shape[rb - 1];
        long[] batch = broadcastShape(Arrays.copyOf(a.shape, ra - 2), Arrays.copyOf(b.shape, rb - 2));
        long nb = size(batch);
        long[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        double[] o = new double[(int) (nb * m * n)];
        NdArray aBatch = new NdArray(new double[(int) size(Arrays.copyOf(a.shape, ra - 2))], Arrays.copyOf(a.shape, ra - 2));
        NdArray bBatch = new NdArray(new double[(int) size(Arrays.copyOf(b.shape, rb - 2))], Arrays.copyOf(b.shape, rb - 2));
        long[] idx = new long[batch.length];
        for (int bi = 0; bi < nb; bi++) {
            long ao = aBatch.offsetFor(idx) * m * k;
            long bo = bBatch.offsetFor(idx) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < k; t++) {
                        s += a.data[(int) (ao + i * k + t)] * b.data[(int) (bo + t * n + j)];
                    }
                    o[(int) (bi * m * n + i * n + j)] = s;
                }
            }
            for (int q = batch.length - 1; q >= 0; q--) {
                if (++idx[q] < batch[q]) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new NdArray(o, outShape);
    }

    /** outer x axis x inner decomposition sizes. */
    long[] oai(int axis) {
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new long[]{outer, shape[axis], inner};
    }

    NdArray reduce(int[] axes, boolean keep, boolean mean) {
        boolean[] red = new boolean[rank()];
        for (int a : axes) {
            red[a < 0 ? rank() + a : a] = true;
        }
        long[] keepShape = shape.clone();
        for (int i = 0; i < rank(); i++) {
            if (red[i]) {
                keepShape[i] = 1;
            }
        }
        double[] o = new double[(int) size(keepShape)];
        long[] idx = new long[rank()];
        long[] ks = strides(keepShape);
        long count = data.length / Math.max(1, o.length);
        for (int i = 0; i < data.length; i++) {
            long off = 0;
            for (int k = 0; k < rank(); k++) {
                off += (red[k] ? 0 : idx[k]) * ks[k];
            }
            o[(int) off] += data[i];
            for (int k = rank() - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        if (mean) {
            for (int i = 0; i < o.length; i++) {
                o[i] /= count;
            }
        }
        if (keep) {
            return new NdArray(o, keepShape);
        }
        long[] s = new long[rank()];
        int n = 0;
        for (int i = 0; i < rank(); i++) {
            if (!red[i]) {
                s[n++] = shape[i];
            }
        }
        return new NdArray(o, Arrays.copyOf(s, n));
    }

    NdArray softmax(int axis, boolean log) {
        int a = axis < 0 ? rank() + axis : axis;
        long[] d = oai(a);
        double[] o = new double[data.length];
        for (long i = 0; i < d[0]; i++) {
            for (long j = 0; j < d[2]; j++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (long t = 0; t < d[1]; t++) {
                    mx = Math.max(mx, data[(int) ((i * d[1] + t) * d[2] + j)]);
                }
                double s = 0;
                for (long t = 0; t < d[1]; t++) {
                    s += Math.exp(data[(int) ((i * d[1] + t) * d[2] + j)] - mx);
                }
                for (long t = 0; t < d[1]; t++) {
                    int p = (int) ((i * d[1] + t) * d[2] + j);
                    o[p] = log ? data[p] - mx - Math.log(s) : Math.exp(data[p] - mx) / s;
                }
            }
        }
        return new NdArray(o, shape.clone());
    }

    NdArray logSumExp(int axis) {
        // log(sum(exp(x))) = x - logSoftmax(x), read at the first position along the axis
        int a = axis < 0 ? rank() + axis : axis;
        long[] d = oai(a);
        NdArray logSoftmax = softmax(a, true);
        double[] o = new double[(int) (d[0] * d[2])];
        for (long i = 0; i < d[0]; i++) {
            for (long j = 0; j < d[2]; j++) {
                int first = (int) (i * d[1] * d[2] + j);
                o[(int) (i * d[2] + j)] = data[first] - logSoftmax.data[first];
            }
        }
        long[] s = new long[rank() - 1];
        for (int q = 0, k = 0; q < rank(); q++) {
            if (q != a) {
                s[k++] = shape[q];
            }
        }
        return new NdArray(o, s);
    }

    NdArray gatherRows(NdArray idx) {
        long row = data.length / shape[0];
        long[] s = new long[idx.rank() + rank() - 1];
        System.arraycopy(idx.shape, 0, s, 0, idx.rank());
        System.arraycopy(shape, 1, s, idx.rank(), rank() - 1);
        double[] o = new double[(int) size(s)];
        for (int i = 0; i < idx.data.length; i++) {
            System.arraycopy(data, (int) ((long) idx.data[i] * row), o, (int) (i * row), (int) row);
        }
        return new NdArray(o, s);
    }

    static NdArray scatterAddRows(NdArray idx, NdArray upd, long rows) {
        long row = upd.data.length / Math.max(1, idx.data.length);
        long[] s = new long[1 + upd.rank() - idx.rank()];
        s[0] = rows;
        System.arraycopy(upd.shape, idx.rank(), s, 1, upd.rank() - idx.rank());
        double[] o = new double[(int) size(s)];
        for (int i = 0; i < idx.data.length; i++) {
            for (int c = 0; c < row; c++) {
                o[(int) ((long) idx.data[i] * row + c)] += upd.data[(int) (i * row + c)];
            }
        }
        return new NdArray(o, s);
    }

    static NdArray concat(int axis, NdArray... parts) {
        long[] s = parts[0].shape.clone();
        s[axis] = 0;
        for (NdArray p : parts) {
            s[axis] += p.shape[axis];
        }
        double[] o = new double[(int) size(s)];
        NdArray out = new NdArray(o, s);
        long off = 0;
        for (NdArray p : parts) {
            out.copyAlong(axis, off, p);
            off += p.shape[axis];
        }
        return out;
    }

    private void copyAlong(int axis, long offset, NdArray src) {
        long[] d = oai(axis);
        long[] sd = src.oai(axis);
        for (long i = 0; i < sd[0]; i++) {
            for (long t = 0; t < sd[1]; t++) {
                System.arraycopy(src.data, (int) ((i * sd[1] + t) * sd[2]), data, (int) ((i * d[1] + t + offset) * d[2]), (int) d[2]);
            }
        }
    }

    NdArray slice(int axis, long start, long end) {
        long[] s = shape.clone();
        s[axis] = end - start;
        long[] d = oai(axis);
        double[] o = new double[(int) size(s)];
        for (long i = 0; i < d[0]; i++) {
            for (long t = start; t < end; t++) {
                System.arraycopy(data, (int) ((i * d[1] + t) * d[2]), o, (int) ((i * s[axis] + t - start) * d[2]), (int) d[2]);
            }
        }
        return new NdArray(o, s);
    }

    NdArray pad(int axis, long before, long after) {
        long[] s = shape.clone();
        s[axis] += before + after;
        NdArray out = new NdArray(new double[(int) size(s)], s);
        out.copyAlong(axis, before, this);
        return out;
    }
}
