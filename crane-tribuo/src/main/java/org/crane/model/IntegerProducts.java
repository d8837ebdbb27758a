package org.crane.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import org.crane.engine.EngineException;
import org.crane.engine.OrtEngine;
import org.crane.engine.Session;
import org.crane.graph.QuantizedKnn;
import org.crane.graph.QuantizedRows;
import org.crane.onnx.DType;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;

import java.nio.IntBuffer;
import java.util.Map;

/**
 * The integer similarity products of {@link QuantizedKnn} in ONNX Runtime: one MatMulInteger (uint8
 * rows times an int8 block, int32 out) per tile, reading the quantised rows where they lie and
 * writing into the caller's native buffer.
 */
final class IntegerProducts implements QuantizedKnn.Products {
    private static final String LEFT = "left";
    private static final String RIGHT = "right";
    private static final String PRODUCTS = "products";

    private final OrtEngine engine;
    private final Session session;

    /**
     * @param engine the engine.
     * @param dim the rows' width.
     */
    IntegerProducts(OrtEngine engine, int dim) {
        this.engine = engine;
        Program p = new Program();
        org.crane.onnx.Tensor left = p.input(LEFT, DType.UINT8, -1, dim);
        org.crane.onnx.Tensor right = p.input(RIGHT, DType.INT8, dim, -1);
        this.session = engine.open(OnnxGraphWriter.write("integer-products", Map.of(PRODUCTS, left.matmulInteger(right)), Map.of()));
    }

    @Override
    public void products(QuantizedRows rows, int rowFrom, int rowTo, int block, IntBuffer out) {
        int w = rows.blockWidth(block);
        int dim = rows.dim();
        IntBuffer view = out.slice(0, (rowTo - rowFrom) * w);
        try (OnnxTensor l = OnnxTensor.createTensor(engine.env(), rows.left(rowFrom, rowTo), new long[]{rowTo - rowFrom, dim}, OnnxJavaType.UINT8);
             OnnxTensor r = OnnxTensor.createTensor(engine.env(), rows.right(block), new long[]{dim, w}, OnnxJavaType.INT8);
             OnnxTensor o = OnnxTensor.createTensor(engine.env(), view, new long[]{rowTo - rowFrom, w})) {
            session.runInto(Map.of(LEFT, l, RIGHT, r), Map.of(PRODUCTS, o));
        } catch (OrtException e) {
            throw new EngineException("Cannot create an integer tensor", e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
