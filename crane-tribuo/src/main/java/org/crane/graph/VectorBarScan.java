package org.crane.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link BarScan} on the JDK's vector API. Loaded by {@link BarScan#fastest()} only. */
final class VectorBarScan implements BarScan {
    // 256-bit as VectorSparseKernel: two float species in one JVM made C2 give up intrinsics in the kernel
    // (the Electronics semantic updates ran 3x slower once the kNN re-ranking used the preferred, 512-bit, one)
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

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
