package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.crane.engine.Adam;
import org.crane.engine.Optimizer;

import java.util.function.Predicate;

/** Adam (Kingma and Ba) with decoupled weight decay, the trainer's default optimiser. */
public final class AdamOptimizer implements OptimizerFactory {
    @Config(description = "Decay rate of the first-moment (mean) estimate.")
    private float beta1 = 0.9f;
    @Config(description = "Decay rate of the second-moment (uncentred variance) estimate.")
    private float beta2 = 0.999f;
    @Config(description = "Added to the root of the second moment, against division by zero.")
    private float epsilon = 1e-8f;

    /** Adam with beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public AdamOptimizer() {
    }

    /**
     * @param beta1 decay of the first moment.
     * @param beta2 decay of the second moment.
     * @param epsilon the denominator's guard.
     */
    public AdamOptimizer(float beta1, float beta2, float epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new PropertyException("", "beta1", "beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new PropertyException("", "beta2", "beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new PropertyException("", "epsilon", "epsilon must be > 0, got " + epsilon);
        }
    }

    @Override
    public Optimizer create(float learningRate, float weightDecay, Predicate<String> decayed) {
        return new Adam(learningRate, beta1, beta2, epsilon, weightDecay, decayed);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimizer");
    }

    @Override
    public String toString() {
        return "Adam(beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
