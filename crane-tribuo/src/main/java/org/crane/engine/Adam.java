package org.crane.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) with bias correction and optional decoupled weight decay, updating
 * parameters in place in their direct buffers from the gradients the last step wrote.
 */
public final class Adam implements Optimizer {
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final java.util.function.Predicate<String> decayed;
    private long t;
    /** Elements per parallel work item. */
    private static final int CHUNK = 1 << 15;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][CHUNK]);

    /**
     * @param lr learning rate.
     * @param beta1 first-moment decay.
     * @param beta2 second-moment decay.
     * @param eps denominator constant.
     * @param weightDecay decoupled weight decay (0 for none).
     */
    public Adam(float lr, float beta1, float beta2, float eps, float weightDecay) {
        this(lr, beta1, beta2, eps, weightDecay, name -> true);
    }

    /**
     * @param lr learning rate.
     * @param beta1 first-moment decay.
     * @param beta2 second-moment decay.
     * @param eps denominator constant.
     * @param weightDecay decoupled weight decay (0 for none).
     * @param decayed which parameters (by name) the weight decay applies to.
     */
    public Adam(float lr, float beta1, float beta2, float eps, float weightDecay, java.util.function.Predicate<String> decayed) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid Adam settings lr=" + lr + " beta1=" + beta1 + " beta2=" + beta2
                    + " eps=" + eps + " weightDecay=" + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decayed = decayed;
    }

    /**
     * @param lr learning rate, other settings at their usual defaults (0.9, 0.999, 1e-8, no decay).
     */
    public Adam(float lr) {
        this(lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    /** @return the number of steps taken. */
    @Override
    public long steps() {
        return t;
    }

    /** @param steps the step count to resume from. */
    @Override
    public void setSteps(long steps) {
        this.t = steps;
    }

    /**
     * One update of every parameter from its current gradient. Parameters are cut into chunks that
     * the common fork-join pool updates in parallel; each chunk is copied out of its direct buffers
     * into heap arrays so the loop vectorises. The arithmetic per element is the same in any case,
     * so results do not depend on the split.
     * @param params the parameters.
     */
    @Override
    public void step(List<Parameter> params) {
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        float stepSize = lr / c1;
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        List<int[]> chunks = new ArrayList<>();
        float[] decay = new float[params.size()];
        long total = 0;
        for (int k = 0; k < params.size(); k++) {
            decay[k] = weightDecay > 0 && decayed.test(params.get(k).name()) ? weightDecay : 0f;
            int n = params.get(k).size();
            for (int from = 0; from < n; from += CHUNK) {
                chunks.add(new int[]{k, from, Math.min(n, from + CHUNK)});
            }
            total += n;
        }
        java.util.stream.Stream<int[]> work = total >= 2L * CHUNK ? chunks.parallelStream() : chunks.stream();
        work.forEach(c -> update(params.get(c[0]), c[1], c[2], decay[c[0]], stepSize, invSqrtC2));
    }

    private void update(Parameter p, int from, int to, float decay, float stepSize, float invSqrtC2) {
        float[][] scratch = SCRATCH.get();
        float[] w = scratch[0];
        float[] g = scratch[1];
        int len = to - from;
        p.value().get(from, w, 0, len);
        p.grad().get(from, g, 0, len);
        float[] m = p.m;
        float[] v = p.v;
        if (decay > 0) {
            for (int i = 0; i < len; i++) {
                w[i] -= lr * decay * w[i];
            }
        }
        for (int i = 0; i < len; i++) {
            float gi = g[i];
            float mi = beta1 * m[from + i] + (1 - beta1) * gi;
            float vi = beta2 * v[from + i] + (1 - beta2) * gi * gi;
            m[from + i] = mi;
            v[from + i] = vi;
            w[i] = w[i] - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtC2 + eps);
        }
        p.value().put(from, w, 0, len);
    }
}
