package org.crane.engine;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Adam (Kingma and Ba) with bias correction and optional decoupled weight decay, updating
 * parameters in place in their direct buffers from the gradients the last step wrote.
 */
public final class Adam {
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final java.util.function.Predicate<String> decayed;
    private long t;

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
    public long steps() {
        return t;
    }

    /** @param steps the step count to resume from. */
    public void setSteps(long steps) {
        this.t = steps;
    }

    /**
     * One update of every parameter from its current gradient.
     * @param params the parameters.
     */
    public void step(List<Parameter> params) {
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        float stepSize = lr / c1;
        float invSqrtC2 = (float) (1 / Math.sqrt(c2));
        for (Parameter p : params) {
            float decay = weightDecay > 0 && decayed.test(p.name()) ? weightDecay : 0f;
            FloatBuffer w = p.value();
            FloatBuffer g = p.grad();
            float[] m = p.m;
            float[] v = p.v;
            int n = p.size();
            for (int i = 0; i < n; i++) {
                float gi = g.get(i);
                float mi = beta1 * m[i] + (1 - beta1) * gi;
                float vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float wi = w.get(i);
                if (decay > 0) {
                    wi -= lr * decay * wi;
                }
                w.put(i, wi - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtC2 + eps));
            }
        }
    }
}
