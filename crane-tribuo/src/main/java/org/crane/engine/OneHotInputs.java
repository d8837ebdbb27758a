package org.crane.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSparseTensor;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.crane.onnx.GraphSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a graph's one-hot sparse inputs ({@link GraphSpec.OneHot}) from the int64 index inputs it
 * is fed: a COO matrix of {@code rows x L} with the entries {@code (idx[p], p)} in position order.
 * ONNX Runtime's CPU kernel multiplies COO entries in order, on one thread, so the sums are
 * deterministic and exact whatever the session's thread count. (Its CSR kernel, through Eigen, was
 * measured 5x slower than ScatterND on the propagation's shapes; the COO loop runs at ScatterND's speed.)
 * <p>
 * An instance keeps its direct buffers and reuses them from one build to the next (a training step
 * builds a few MB of them; fresh ones each step would pile up until a garbage collection), so the
 * tensors of one build must be closed before the next; it is not thread-safe.
 */
public final class OneHotInputs {
    private final Map<String, LongBuffer> coords = new HashMap<>();
    private FloatBuffer ones = floats(0);

    /** Creates a builder with no buffers yet. */
    public OneHotInputs() {
    }

    /**
     * Builds with fresh buffers.
     * @param env the environment.
     * @param spec the graph.
     * @param fed the inputs the caller feeds, including every index input the one-hots are built from.
     * @return the sparse inputs by name (empty when the graph has none); the caller closes them.
     * @throws EngineException when an index input is missing, not int64, or holds an index outside its table.
     */
    public static Map<String, OnnxSparseTensor> fresh(OrtEnvironment env, GraphSpec spec, Map<String, ? extends OnnxTensorLike> fed) {
        return new OneHotInputs().build(env, spec, fed);
    }

    /**
     * Builds into this instance's buffers (the previous build's tensors must be closed).
     * @param env the environment.
     * @param spec the graph.
     * @param fed the inputs the caller feeds, including every index input the one-hots are built from.
     * @return the sparse inputs by name (empty when the graph has none); the caller closes them.
     * @throws EngineException when an index input is missing, not int64, or holds an index outside its table.
     */
    public Map<String, OnnxSparseTensor> build(OrtEnvironment env, GraphSpec spec, Map<String, ? extends OnnxTensorLike> fed) {
        Map<String, OnnxSparseTensor> out = new LinkedHashMap<>();
        try {
            for (GraphSpec.OneHot oh : spec.oneHots()) {
                out.put(oh.name(), build(env, oh, fed));
            }
        } catch (RuntimeException e) {
            out.values().forEach(OnnxSparseTensor::close);
            throw e;
        }
        return out;
    }

    private OnnxSparseTensor build(OrtEnvironment env, GraphSpec.OneHot oh, Map<String, ? extends OnnxTensorLike> fed) {
        long rows = oh.rows() >= 0 ? oh.rows() : tensor(fed, oh.rowsOf()).getInfo().getShape()[0];
        List<String> sources = oh.indices();
        LongBuffer[] idx = new LongBuffer[sources.size()];
        long total = 0;
        for (int s = 0; s < idx.length; s++) {
            OnnxTensor t = tensor(fed, sources.get(s));
            if (t.getInfo().type != OnnxJavaType.INT64) {
                throw new EngineException("Index input '" + sources.get(s) + "' must be int64, got " + t.getInfo().type);
            }
            long count = t.getInfo().getNumElements();
            // the tensor's own buffer when it wraps exactly its elements: no native copy into a
            // freshly allocated direct buffer per input per step
            idx[s] = t.getBufferRef().filter(b -> b instanceof LongBuffer && b.capacity() == count)
                    .map(b -> ((LongBuffer) b).duplicate().clear())
                    .orElseGet(t::getLongBuffer);
            total += idx[s].remaining();
        }
        int n = Math.toIntExact(total);
        LongBuffer c = coords.get(oh.name());
        if (c == null || c.capacity() < 2 * n) {
            c = longs(grown(c == null ? 0 : c.capacity(), 2 * n));
            coords.put(oh.name(), c);
        }
        int p = 0;
        for (int s = 0; s < idx.length; s++) {
            for (int i = idx[s].position(); i < idx[s].limit(); i++, p++) {
                long v = idx[s].get(i);
                if (v < 0 || v >= rows) {
                    throw new EngineException("Index " + v + " at position " + (i - idx[s].position()) + " of input '"
                            + sources.get(s) + "' is outside the " + rows + " rows it addresses");
                }
                c.put(2 * p, v);
                c.put(2 * p + 1, p);
            }
        }
        if (ones.capacity() < n) {
            ones = floats(grown(ones.capacity(), n));
            for (int i = 0; i < ones.capacity(); i++) {
                ones.put(i, 1f);
            }
        }
        try {
            return OnnxSparseTensor.createSparseTensor(env, new OnnxSparseTensor.COOTensor(c.slice(0, 2 * n), new long[]{n, 2},
                    ones.slice(0, n), new long[]{rows, n}, OnnxJavaType.FLOAT, n));
        } catch (OrtException e) {
            throw new EngineException("Cannot create the one-hot input " + oh.name(), e);
        }
    }

    private static OnnxTensor tensor(Map<String, ? extends OnnxTensorLike> fed, String name) {
        OnnxTensorLike t = fed.get(name);
        if (!(t instanceof OnnxTensor)) {
            throw new EngineException("The graph needs the index input '" + name + "'" + (t == null ? ", which was not fed" : " as a dense tensor"));
        }
        return (OnnxTensor) t;
    }

    /** @return a new capacity for a buffer of {@code capacity} that must hold {@code needed}: 1.5x growth, so a run's first steps settle it. */
    private static int grown(int capacity, int needed) {
        return Math.max(needed, capacity + capacity / 2);
    }

    private static LongBuffer longs(int n) {
        return ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
