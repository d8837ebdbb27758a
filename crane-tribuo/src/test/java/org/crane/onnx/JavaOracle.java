package org.crane.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link Program} in float64 in plain Java, op by op: the test oracle for the ONNX
 * emission (ORT must agree with it) and, through finite differences of the loss, for the gradient
 * rules.
 */
final class JavaOracle {
    private JavaOracle() {
    }

    static Map<Tensor, NdArray> eval(Program p, Map<String, NdArray> inputs, List<Tensor> wanted) {
        Map<Tensor, NdArray> v = new IdentityHashMap<>();
        int last = 0;
        for (Tensor t : wanted) {
            last = Math.max(last, t.node.id);
        }
        for (Node n : p.nodes()) {
            if (n.id > last) {
                break;
            }
            NdArray[] in = new NdArray[n.inputs.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = v.get(n.inputs.get(i));
            }
            if (n.kind == Kind.TOPK) {
                continue;
            }
            v.put(n.outputs[0], apply(n, in, inputs));
        }
        Map<Tensor, NdArray> out = new HashMap<>();
        for (Tensor t : wanted) {
            out.put(t, v.get(t));
        }
        return out;
    }

    private static NdArray apply(Node n, NdArray[] in, Map<String, NdArray> inputs) {
        NdArray a = in.length > 0 ? in[0] : null;
        NdArray b = in.length > 1 ? in[1] : null;
        switch (n.kind) {
            case INPUT: {
                NdArray x = inputs.get(n.name);
                if (x == null) {
                    throw new IllegalArgumentException("No value for input " + n.name);
                }
                return x;
            }
            case CONSTANT: {
                long[] shape = n.longsAttr("shape");
                Object val = n.attrs.get("value");
                double[] d;
                if (val instanceof float[]) {
                    float[] f = (float[]) val;
                    d = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        d[i] = f[i];
                    }
                } else {
                    long[] l = (long[]) val;
                    d = new double[l.length];
                    for (int i = 0; i < l.length; i++) {
                        d[i] = l[i];
                    }
                }
                return new NdArray(d, shape);
            }
            case ADD: return NdArray.zip(a, b, Double::sum);
            case SUB: return NdArray.zip(a, b, (x, y) -> x - y);
            case MUL: return NdArray.zip(a, b, (x, y) -> x * y);
            case DIV: return NdArray.zip(a, b, (x, y) -> x / y);
            case NEG: return a.map(x -> -x);
            case EXP: return a.map(Math::exp);
            case LOG: return a.map(Math::log);
            case SQRT: return a.map(Math::sqrt);
            case TANH: return a.map(Math::tanh);
            case RELU: return a.map(x -> Math.max(x, 0));
            case SIGMOID: return a.map(x -> 1 / (1 + Math.exp(-x)));
            case SOFTPLUS: return a.map(x -> x > 30 ? x : Math.log1p(Math.exp(x)));
            case SIGN: return a.map(Math::signum);
            case IDENTITY: case STOP_GRADIENT: case CAST_FLOAT: return a;
            case MATMUL: return NdArray.matmul(a, b);
            case TRANSPOSE: return a.transpose(n.intsAttr("perm"));
            case RESHAPE: return a.reshape(n.longsAttr("shape"));
            case RESHAPE_LIKE: return a.reshape(b.shape);
            case UNSQUEEZE: return a.reshape(n.outputs[0].shape());
            case EXPAND_LIKE: return a.expandTo(b.shape);
            case REDUCE_SUM: return a.reduce(n.intsAttr("axes"), n.intAttr("keepdims") == 1, false);
            case REDUCE_MEAN: return a.reduce(n.intsAttr("axes"), n.intAttr("keepdims") == 1, true);
            case LOG_SUM_EXP: return a.logSumExp(n.intAttr("axis"));
            case SOFTMAX: return a.softmax(n.intAttr("axis"), false);
            case LOG_SOFTMAX: return a.softmax(n.intAttr("axis"), true);
            case GATHER_ROWS: return a.gatherRows(b);
            case NEIGHBOUR_SUM: return neighbourSum(a, in, n.intAttr("buckets"));
            case SCATTER_ADD_ROWS: return NdArray.scatterAddRows(a, b, (long) in[2].data[0]);
            case ROWS_OF: return new NdArray(new double[]{a.shape[0]}, 1);
            case SIZE_RATIO: return new NdArray(new double[]{(double) a.data.length / b.data.length});
            case CONCAT: return NdArray.concat(n.intAttr("axis"), in);
            case SLICE: return a.slice(n.intAttr("axis"), n.longAttr("start"), n.longAttr("end"));
            case PAD_AXIS: return a.pad(n.intAttr("axis"), n.longAttr("before"), n.longAttr("after"));
            default:
                throw new IllegalStateException("Oracle cannot evaluate " + n.kind);
        }
    }

    /**
     * Reads the padded neighbour lists literally: row r's result sits at position perm[r] of the
     * concatenation (one-entry rows, then each bucket's rows), one past the end meaning zero; a
     * list entry equal to x's row count is padding.
     */
    private static NdArray neighbourSum(NdArray x, NdArray[] in, int buckets) {
        int cols = (int) x.shape[0];
        int d = (int) x.shape[1];
        List<double[]> lists = new ArrayList<>();
        for (double c : in[2].data) {
            lists.add(new double[]{c});
        }
        for (int b = 0; b < buckets; b++) {
            NdArray bk = in[3 + b];
            int w = (int) bk.shape[1];
            for (int r = 0; r < bk.shape[0]; r++) {
                lists.add(java.util.Arrays.copyOfRange(bk.data, r * w, (r + 1) * w));
            }
        }
        double[] perm = in[1].data;
        double[] y = new double[perm.length * d];
        for (int r = 0; r < perm.length; r++) {
            int pos = (int) perm[r];
            if (pos == lists.size()) {
                continue;
            }
            for (double c : lists.get(pos)) {
                if ((int) c == cols) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    y[r * d + j] += x.data[(int) c * d + j];
                }
            }
        }
        return new NdArray(y, perm.length, d);
    }
}
