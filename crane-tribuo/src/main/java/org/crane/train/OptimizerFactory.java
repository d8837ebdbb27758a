package org.crane.train;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import org.crane.engine.Optimizer;

import java.util.function.Predicate;

/**
 * The optimiser a {@link CraneTrainer} uses, as a configurable component (its fields are recorded in
 * the trainer's provenance): given the learning rate, the decoupled weight decay and which parameters
 * it applies to, it makes the run's {@link Optimizer}.
 */
public interface OptimizerFactory extends Configurable, Provenancable<ConfiguredObjectProvenance> {
    /**
     * @param learningRate the step size.
     * @param weightDecay the decoupled weight decay (0 = none).
     * @param decayed which parameters (by name) the decay applies to.
     * @return a fresh optimiser for one run.
     */
    Optimizer create(float learningRate, float weightDecay, Predicate<String> decayed);
}
