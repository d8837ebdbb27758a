package org.crane.model;

import org.crane.graph.CooMatrix;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class KnnCacheTest {
    private static CooMatrix graph(int nnz) {
        return new CooMatrix(nnz, nnz, new int[nnz], new int[nnz], new float[nnz]);
    }

    @Test
    void keepsGraphsUpToItsBoundEvictingTheLeastRecentlyUsed() {
        KnnCache cache = new KnnCache(12L * 250);   // room for 250 entries
        AtomicInteger builds = new AtomicInteger();
        CooMatrix a = cache.get("a", () -> { builds.incrementAndGet(); return graph(100); });
        cache.get("b", () -> { builds.incrementAndGet(); return graph(100); });
        assertSame(a, cache.get("a", () -> { throw new AssertionError("a is kept"); }));
        cache.get("c", () -> { builds.incrementAndGet(); return graph(100); });   // 300 > 250: b, the least recently used, goes
        assertEquals(2, cache.size());
        assertSame(a, cache.get("a", () -> { throw new AssertionError("a was used more recently than b"); }));
        cache.get("b", () -> { builds.incrementAndGet(); return graph(100); });
        assertEquals(4, builds.get(), "b was built again");
        cache.get("huge", () -> graph(1000));   // larger than the bound: kept alone until the next graph
        assertEquals(1, cache.size());
        cache.clear();
        assertEquals(0, cache.size());
    }
}
