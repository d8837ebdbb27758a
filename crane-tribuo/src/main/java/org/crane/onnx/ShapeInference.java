package org.crane.onnx;

import java.util.Arrays;

/** Static element types and shapes of recorded operations; fails fast on impossible shapes. */
final class ShapeInference {
    private ShapeInference() {
    }

    static DType dtype(Node n, int output) {
        switch (n.kind) {
            case ROWS_OF:
                return DType.INT64;
            case CAST_FLOAT:
            case SIZE_RATIO:
            case EQUAL_FLOAT:
                return DType.FLOAT;
            case MATMUL_INTEGER:
                if (n.inputs.get(0).dtype() != DType.UINT8 || n.inputs.get(1).dtype() != DType.INT8) {
                    throw new IllegalArgumentException("MATMUL_INTEGER needs uint8 times int8, got " + n.inputs.get(0) + " and " + n.inputs.get(1));
                }
                return DType.INT32;
            case TOPK:
                return output == 0 ? n.inputs.get(0).dtype() : DType.INT64;
            case GATHER_ROWS:
                requireInt64(n, 1);
                return n.inputs.get(0).dtype();
            case NEIGHBOUR_SUM:
                for (int i = 1; i < n.inputs.size(); i++) {
                    requireInt64(n, i);
                }
                return n.inputs.get(0).dtype();
            case SCATTER_ADD_ROWS:
                requireInt64(n, 0);
                requireInt64(n, 2);
                return n.inputs.get(1).dtype();
            case RESHAPE:
                return n.inputs.get(0).dtype();
            case CONCAT:
                // also joins int64 indices (gradients are only taken through float values)
                for (Tensor t : n.inputs) {
                    if (t.dtype() != n.inputs.get(0).dtype()) {
                        throw new IllegalArgumentException("CONCAT needs inputs of one element type, got " + n.inputs.get(0) + " and " + t);
                    }
                }
                return n.inputs.get(0).dtype();
            default:
                if (n.kind.differentiable()) {
                    for (Tensor t : n.inputs) {
                        if (t.dtype() != DType.FLOAT) {
                            throw new IllegalArgumentException(n.kind + " needs float inputs, got " + t);
                        }
                    }
                }
                return n.inputs.isEmpty() ? DType.FLOAT : n.inputs.get(0).dtype();
        }
    }

    private static void requireInt64(Node n, int i) {
        if (n.inputs.get(i).dtype() != DType.INT64) {
            throw new IllegalArgumentException(n.kind + " input " + i + " must be int64 indices, got " + n.inputs.get(i));
        }
    }

    static long[] shape(Node n, int output) {
        long[] a = n.inputs.isEmpty() ? null : n.inputs.get(0).shape();
        switch (n.kind) {
            case ADD: case SUB: case MUL: case DIV: case EQUAL_FLOAT: case MOD:
                return broadcast(n, a, n.inputs.get(1).shape());
            case NEG: case EXP: case LOG: case SQRT: case TANH: case RELU: case SIGMOID: case SOFTPLUS: case SIGN:
            case IDENTITY: case STOP_GRADIENT: case SOFTMAX: case LOG_SOFTMAX: case CAST_FLOAT:
                return a;
            case MATMUL: case MATMUL_INTEGER:
                return matmul(n, a, n.inputs.get(1).shape());
            case TRANSPOSE: {
                int[] perm = n.intsAttr("perm");
                if (perm.length != a.length) {
                    throw new IllegalArgumentException("Transpose perm " + Arrays.toString(perm) + " does not fit rank " + a.length);
                }
                long[] s = new long[a.length];
                for (int i = 0; i < perm.length; i++) {
                    s[i] = a[perm[i]];
                }
                return s;
            }
            case RESHAPE:
                return reshape(a, n.longsAttr("shape"));
            case RESHAPE_LIKE: case EXPAND_LIKE:
                return n.inputs.get(1).shape();
            case UNSQUEEZE: {
                int[] axes = n.intsAttr("axes");
                int r = a.length + axes.length;
                long[] s = new long[r];
                boolean[] ins = new boolean[r];
                for (int ax : axes) {
                    ins[ax < 0 ? r + ax : ax] = true;
                }
                int k = 0;
                for (int i = 0; i < r; i++) {
                    s[i] = ins[i] ? 1 : a[k++];
                }
                return s;
            }
            case LOG_SUM_EXP:
                return reduced(a, new int[]{n.intAttr("axis")}, false);
            case REDUCE_SUM: case REDUCE_MEAN:
                return reduced(a, n.intsAttr("axes"), n.intAttr("keepdims") == 1);
            case NEIGHBOUR_SUM:
                return new long[]{n.inputs.get(1).dim(0), a[1]};
            case GATHER_ROWS: {
                long[] idx = n.inputs.get(1).shape();
                long[] s = new long[idx.length + a.length - 1];
                System.arraycopy(idx, 0, s, 0, idx.length);
                System.arraycopy(a, 1, s, idx.length, a.length - 1);
                return s;
            }
            case SCATTER_ADD_ROWS: {
                long[] upd = n.inputs.get(1).shape();
                int ir = n.inputs.get(0).rank();
                long[] s = new long[1 + upd.length - ir];
                s[0] = constantRows(n.inputs.get(2));
                System.arraycopy(upd, ir, s, 1, upd.length - ir);
                return s;
            }
            case ROWS_OF:
                return new long[]{1};
            case SIZE_RATIO:
                return new long[0];
            case CONCAT: {
                int axis = n.intAttr("axis");
                long[] s = a.clone();
                for (int i = 1; i < n.inputs.size(); i++) {
                    long[] b = n.inputs.get(i).shape();
                    if (b.length != a.length) {
                        throw new IllegalArgumentException("Concat of ranks " + a.length + " and " + b.length);
                    }
                    s[axis] = s[axis] < 0 || b[axis] < 0 ? -1 : s[axis] + b[axis];
                }
                return s;
            }
            case SLICE: {
                long[] s = a.clone();
                int axis = n.intAttr("axis");
                long start = n.longAttr("start");
                long end = n.longAttr("end");
                if (start < 0 || end < start || (a[axis] >= 0 && end > a[axis])) {
                    throw new IllegalArgumentException("Slice [" + start + ", " + end + ") out of axis " + axis + " of " + Arrays.toString(a));
                }
                s[axis] = end - start;
                return s;
            }
            case PAD_AXIS: {
                long[] s = a.clone();
                int axis = n.intAttr("axis");
                s[axis] = a[axis] < 0 ? -1 : a[axis] + n.longAttr("before") + n.longAttr("after");
                return s;
            }
            case TOPK: {
                long[] s = a.clone();
                s[s.length - 1] = n.intAttr("k");
                return s;
            }
            default:
                throw new IllegalStateException("No shape rule for " + n.kind);
        }
    }

    private static long constantRows(Tensor nRows) {
        if (nRows.node.kind == Kind.CONSTANT && nRows.dtype() == DType.INT64) {
            return ((long[]) nRows.node.attrs.get("value"))[0];
        }
        if (nRows.node.kind == Kind.ROWS_OF) {
            return nRows.node.inputs.get(0).dim(0);
        }
        return -1;
    }

    /** The shape after reducing {@code axes} of {@code a}: kept as size 1, or removed. */
    private static long[] reduced(long[] a, int[] axes, boolean keep) {
        boolean[] red = new boolean[a.length];
        for (int ax : axes) {
            red[norm(ax, a.length)] = true;
        }
        long[] s = new long[a.length];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            if (!red[i]) {
                s[k++] = a[i];
            } else if (keep) {
                s[k++] = 1;
            }
        }
        return Arrays.copyOf(s, k);
    }

    static int norm(int axis, int rank) {
        int a = axis < 0 ? rank + axis : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("Axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    static long[] broadcast(Node n, long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] s = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x == 1) {
                s[i] = y;
            } else if (y == 1) {
                s[i] = x;
            } else if (x == -1 || y == -1) {
                s[i] = Math.max(x, y);
            } else if (x == y) {
                s[i] = x;
            } else {
                throw new IllegalArgumentException(n.kind + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
        }
        return s;
    }

    private static long[] matmul(Node n, long[] a, long[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("MatMul needs operands of rank >= 2, got " + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        long k1 = a[a.length - 1];
        long k2 = b[b.length - 2];
        if (k1 >= 0 && k2 >= 0 && k1 != k2) {
            throw new IllegalArgumentException("MatMul inner dimensions differ: " + Arrays.toString(a) + " x " + Arrays.toString(b));
        }
        long[] batch = broadcast(n, Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        long[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = a[a.length - 2];
        s[batch.length + 1] = b[b.length - 1];
        return s;
    }

    private static long[] reshape(long[] in, long[] target) {
        long[] s = target.clone();
        int infer = -1;
        long known = 1;
        boolean allKnown = true;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                s[i] = in[i];
            }
            if (target[i] == -1) {
                infer = i;
            } else if (s[i] < 0) {
                allKnown = false;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            long total = 1;
            for (long d : in) {
                if (d < 0) {
                    allKnown = false;
                }
                total *= d;
            }
            s[infer] = allKnown ? total / known : -1;
        }
        return s;
    }
}
