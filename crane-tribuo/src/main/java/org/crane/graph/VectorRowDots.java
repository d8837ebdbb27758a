package org.crane.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowDots} on the JDK's vector API, two accumulators of the preferred width. Loaded by {@link RowDots#fastest()} only. */
final class VectorRowDots implements RowDots {
    private static final VectorSpecies<Float> S = FloatLanes.SPECIES;

    VectorRowDots() {
    }

    @Override
    public float dot(float[] x, int a, int b, int dim) {
        int lanes = S.length();
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * lanes <= dim; i += 2 * lanes) {
            acc0 = FloatVector.fromArray(S, x, a + i).fma(FloatVector.fromArray(S, x, b + i), acc0);
            acc1 = FloatVector.fromArray(S, x, a + i + lanes).fma(FloatVector.fromArray(S, x, b + i + lanes), acc1);
        }
        for (; i + lanes <= dim; i += lanes) {
            acc0 = FloatVector.fromArray(S, x, a + i).fma(FloatVector.fromArray(S, x, b + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += x[a + i] * x[b + i];
        }
        return s;
    }
}
