package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The modality projections {@code X_m = Xraw_m W_m + b_m} as graphs of their own, for the layout
 * that computes them outside the training graph (the training graph then takes X_m as an input and
 * returns its gradient, from which the backward graph gives the weights' gradients).
 */
public final class ProjectionGraphs {
    private ProjectionGraphs() {
    }

    /**
     * @param m modality index.
     * @return the name of the projection weight {@code W_m} (D_m x d).
     */
    public static String weight(int m) {
        return "W" + m;
    }

    /**
     * @param m modality index.
     * @return the name of the projection bias {@code b_m} (d).
     */
    public static String bias(int m) {
        return "b" + m;
    }

    /**
     * @param numItems N.
     * @param dims each modality's raw width D_m.
     * @param d the embedding width.
     * @param modalities the modalities whose projections the graph computes (indices).
     * @return {@code X_m = Xraw_m W_m + b_m} for those modalities (inputs: raw features, W_m, b_m).
     */
    public static GraphSpec forward(int numItems, int[] dims, int d, int... modalities) {
        Program q = new Program();
        Map<String, Tensor> outs = new LinkedHashMap<>();
        for (int m : modalities) {
            Tensor raw = q.input(GraphInputs.features(m), DType.FLOAT, numItems, dims[m]);
            Tensor w = q.input(weight(m), DType.FLOAT, dims[m], d);
            Tensor b = q.input(bias(m), DType.FLOAT, d);
            outs.put(GraphInputs.projected(m), raw.matmul(w).add(b));
        }
        return OnnxGraphWriter.write("crane_projection", outs, Map.of());
    }

    /**
     * @param numItems N.
     * @param dims each modality's raw width D_m.
     * @param d the embedding width.
     * @param modalities the modalities whose projections' gradients the graph computes (indices).
     * @return the projections' weight gradients from the training graph's gradients of X_m:
     *         {@code grad W_m = Xraw_m^T G_m} (from the transposed raw table, see
     *         {@link Program#transposedInput}) and {@code grad b_m = sum over items of G_m}.
     */
    public static GraphSpec backward(int numItems, int[] dims, int d, int... modalities) {
        Program q = new Program();
        Map<String, Tensor> outs = new LinkedHashMap<>();
        String g = org.crane.engine.TrainingStep.GRAD_PREFIX;
        for (int m : modalities) {
            Tensor rawT = q.input(GraphInputs.featuresTransposed(m), DType.FLOAT, dims[m], numItems);
            Tensor gm = q.input(g + GraphInputs.projected(m), DType.FLOAT, numItems, d);
            outs.put(g + weight(m), rawT.matmul(gm));
            outs.put(g + bias(m), gm.sum(false, 0));
        }
        return OnnxGraphWriter.write("crane_projection_grad", outs, Map.of());
    }
}
