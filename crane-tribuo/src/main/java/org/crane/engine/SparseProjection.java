package org.crane.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Modality projections {@code X_m = Xraw_m W_m + b_m} of frozen sparse raw features computed in Java
 * by a {@link SparseKernel}, as a {@link TrainingStep.Offload}: forward {@code Xraw_m W_m} and backward
 * {@code grad W_m = Xraw_m^T G_m}, both from the one stored layout of the non-zeros of {@code Xraw_m},
 * and {@code grad b_m} as the column sums of {@code G_m}. The maths is the dense projection's; only
 * the order of the sums differs.
 */
public final class SparseProjection implements TrainingStep.Offload {
    /** Columns per block of the stored matrices (512 rows of a 64-wide dense factor = 128 KB, an L2's share). */
    public static final int BLOCK = 512;

    /**
     * One projected modality.
     * @param value the main graph's input name of {@code X_m}.
     * @param weight the name of {@code W_m}.
     * @param bias the name of {@code b_m}.
     * @param features the non-zeros of {@code Xraw_m} (items x D_m) in {@link #BLOCK}-column blocks.
     */
    public record Modality(String value, String weight, String bias, SparseRows features) {
    }

    private final SparseKernel kernel;
    private final List<Modality> modalities;
    private final int width;
    /** Per modality: W_m, then grad W_m (D_m x d). */
    private final List<float[]> weights = new ArrayList<>();
    /** X_m, then G_m (items x d). */
    private final float[] items;
    private final float[] bias;

    /**
     * @param kernel the products.
     * @param modalities the projected modalities (same item count).
     * @param width the embedding size d (a multiple of 8).
     */
    public SparseProjection(SparseKernel kernel, List<Modality> modalities, int width) {
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("no modality to project");
        }
        this.kernel = kernel;
        this.modalities = List.copyOf(modalities);
        this.width = width;
        int n = modalities.get(0).features().rows();
        for (int m = 0; m < modalities.size(); m++) {
            SparseRows x = modalities.get(m).features();
            if (x.rows() != n) {
                throw new IllegalArgumentException("modality " + modalities.get(m).value() + " has " + x.rows() + " rows, not " + n);
            }
            weights.add(new float[Math.multiplyExact(x.cols(), width)]);
        }
        this.items = new float[Math.multiplyExact(n, width)];
        this.bias = new float[width];
    }

    @Override
    public Map<String, long[]> values() {
        Map<String, long[]> v = new LinkedHashMap<>();
        for (Modality m : modalities) {
            v.put(m.value(), new long[]{m.features().rows(), width});
        }
        return v;
    }

    @Override
    public boolean owns(String parameter) {
        return modalities.stream().anyMatch(m -> m.weight().equals(parameter) || m.bias().equals(parameter));
    }

    @Override
    public void forward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out) {
        for (int k = 0; k < modalities.size(); k++) {
            Modality m = modalities.get(k);
            float[] w = weights.get(k);
            buffer(input, m.weight()).get(0, w);
            buffer(input, m.bias()).get(0, bias);
            kernel.multiply(m.features(), w, width, items);
            for (int q = 0; q < items.length; q += width) {
                for (int c = 0; c < width; c++) {
                    items[q + c] += bias[c];
                }
            }
            buffer(out.get(m.value())).put(0, items);
        }
    }

    @Override
    public void backward(Function<String, OnnxTensorLike> input, Map<String, OnnxTensor> out) {
        for (int k = 0; k < modalities.size(); k++) {
            Modality m = modalities.get(k);
            float[] gw = weights.get(k);
            buffer(input, TrainingStep.GRAD_PREFIX + m.value()).get(0, items);
            kernel.multiplyTransposed(m.features(), items, width, gw);
            buffer(out.get(TrainingStep.GRAD_PREFIX + m.weight())).put(0, gw);
            java.util.Arrays.fill(bias, 0f);
            for (int q = 0; q < items.length; q += width) {
                for (int c = 0; c < width; c++) {
                    bias[c] += items[q + c];
                }
            }
            buffer(out.get(TrainingStep.GRAD_PREFIX + m.bias())).put(0, bias);
        }
    }

    private static FloatBuffer buffer(Function<String, OnnxTensorLike> input, String name) {
        OnnxTensorLike t = input.apply(name);
        if (!(t instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("No input " + name + " for the sparse projection");
        }
        return buffer(tensor);
    }

    private static FloatBuffer buffer(OnnxTensor t) {
        return (FloatBuffer) t.getBufferRef().orElseThrow(() -> new IllegalStateException("tensor not backed by a Java buffer: " + t.getInfo()));
    }

    @Override
    public void close() {
        // nothing native held
    }
}
