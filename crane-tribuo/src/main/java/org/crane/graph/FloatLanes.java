package org.crane.graph;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float vector shape of every vector-API kernel in the library: 256 bits, 8 lanes (the sparse
 * projection kernel, {@code engine.VectorSparseKernel}, is written for 8 lanes). One shape matters:
 * with two float species in one JVM the JIT stopped compiling the sparse kernel's vector calls to
 * vector instructions (measured: the Electronics semantic updates took 78-93 s instead of 24-25 s once the
 * kNN re-ranking used the 512-bit preferred species). Load only from classes that link the vector
 * module themselves (see {@link VectorApi}).
 */
public final class FloatLanes {
    /** The species. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

    private FloatLanes() {
    }
}
