package org.crane.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape facts the gradient rules of {@link Autodiff} decide by: static shapes, broadcasting and its
 * reversal, all-ones gradients (a sum's), and transposes of the last two axes.
 */
final class GradientShapes {
    private GradientShapes() {
    }

    /** {@code dy * o}, or o itself when dy is all ones of o's static shape (a sum's gradient). */
    static Tensor times(Tensor dy, Tensor o, Tensor y) {
        return ones(dy) && isStatic(o) && java.util.Arrays.equals(o.shape(), y.shape()) ? o : dy.mul(o);
    }

    static boolean ones(Tensor t) {
        switch (t.node.kind) {
            case EXPAND_LIKE: case UNSQUEEZE: case RESHAPE:
                return ones(t.node.inputs.get(0));
            case CONSTANT:
                if (t.dtype() != DType.FLOAT) {
                    return false;
                }
                for (float v : (float[]) t.node.attrs.get("value")) {
                    if (v != 1f) {
                        return false;
                    }
                }
                return true;
            default:
                return false;
        }
    }

    static boolean isStatic(Tensor x) {
        for (long d : x.shape()) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean staticRows(Tensor x) {
        for (int i = 1; i < x.rank(); i++) {
            if (x.dim(i) < 0) {
                return false;
            }
        }
        return true;
    }

    /** @return x when t is x with its last two axes swapped (and nothing else), otherwise null. */
    static Tensor swappedLast2(Tensor t) {
        if (t.node.kind != Kind.TRANSPOSE || t.rank() < 2) {
            return null;
        }
        int[] perm = t.node.intsAttr("perm");
        int r = perm.length;
        for (int i = 0; i < r - 2; i++) {
            if (perm[i] != i) {
                return null;
            }
        }
        return perm[r - 2] == r - 1 && perm[r - 1] == r - 2 ? t.node.inputs.get(0) : null;
    }

    /** @return whether a and b have the same static batch (leading) dimensions, so no broadcasting is involved. */
    static boolean sameStaticBatch(Tensor a, Tensor b) {
        for (int i = 0; i < a.rank() - 2; i++) {
            if (a.dim(i) < 0 || a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sums a gradient over the axes along which {@code x} was broadcast, so it takes x's shape.
     * Broadcasting is recognised from static shapes: a size-1 or missing leading axis of x.
     */
    static Tensor unbroadcast(Tensor g, Tensor x) {
        long[] gs = g.shape();
        long[] xs = x.shape();
        Tensor out = g;
        int lead = gs.length - xs.length;
        if (lead > 0) {
            int[] axes = new int[lead];
            for (int i = 0; i < lead; i++) {
                axes[i] = i;
            }
            out = out.sum(false, axes);
        }
        List<Integer> ones = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            long gd = gs[i + Math.max(lead, 0)];
            if (xs[i] == 1 && gd != 1) {
                ones.add(i);
            }
        }
        if (!ones.isEmpty()) {
            out = out.sum(true, ones.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
