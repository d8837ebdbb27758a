package org.crane.model;

import org.crane.graph.CooMatrix;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** kNN graphs by key, bounded by the bytes their arrays hold, least recently used evicted first. */
final class KnnCache {
    private final long maxBytes;
    private final LinkedHashMap<String, CooMatrix> graphs = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxBytes the most bytes of graph arrays kept. */
    KnnCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param key the graph's key (content hash and k).
     * @param compute builds it when absent (outside the lock: two threads may both build one).
     * @return the graph.
     */
    CooMatrix get(String key, Supplier<CooMatrix> compute) {
        synchronized (this) {
            CooMatrix g = graphs.get(key);
            if (g != null) {
                return g;
            }
        }
        CooMatrix g = compute.get();
        synchronized (this) {
            CooMatrix prev = graphs.put(key, g);
            bytes += size(g) - (prev == null ? 0 : size(prev));
            Iterator<Map.Entry<String, CooMatrix>> it = graphs.entrySet().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                Map.Entry<String, CooMatrix> eldest = it.next();
                if (eldest.getValue() != g) {
                    bytes -= size(eldest.getValue());
                    it.remove();
                }
            }
        }
        return g;
    }

    synchronized void clear() {
        graphs.clear();
        bytes = 0;
    }

    /** @return graphs held. */
    synchronized int size() {
        return graphs.size();
    }

    private static long size(CooMatrix g) {
        return 12L * g.nnz();
    }
}
