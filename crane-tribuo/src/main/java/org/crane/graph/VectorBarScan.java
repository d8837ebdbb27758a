package org.crane.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link BarScan} on the JDK's vector API. Loaded by {@link BarScan#fastest()} only. */
final class VectorBarScan implements BarScan {
    private static final VectorSpecies<Float> S = FloatLanes.SPECIES;

    VectorBarScan() {
    }

    @Override
    public int next(float[] estimates, float[] bar, int barOffset, float rowBar, int from, int to) {
        int lanes = S.length();
        int j = from;
        for (; j + lanes <= to; j += lanes) {
            FloatVector s = FloatVector.fromArray(S, estimates, j);
            VectorMask<Float> hit = s.compare(VectorOperators.GE, rowBar).or(s.compare(VectorOperators.GE, FloatVector.fromArray(S, bar, barOffset + j)));
            if (hit.anyTrue()) {
                return j + hit.firstTrue();
            }
        }
        return SCALAR.next(estimates, bar, barOffset, rowBar, j, to);
    }
}
