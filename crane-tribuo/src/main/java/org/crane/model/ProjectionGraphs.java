package org.crane.model;

import org.crane.onnx.Autodiff;
import org.crane.onnx.DType;
import org.crane.onnx.GraphSpec;
import org.crane.onnx.OnnxGraphWriter;
import org.crane.onnx.Program;
import org.crane.onnx.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modality encodings x_m as graphs of their own, for the layout that computes them outside the
 * training graph (the training graph then takes x_m as an input and returns its gradient, from which
 * the backward graph gives the encoder's parameter gradients), derived from the {@link ModalityEncoder}.
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
     * @param encoder the modality encoder.
     * @param numItems N.
     * @param dims each modality's raw width D_m.
     * @param d the embedding width.
     * @param modalities the modalities whose encodings the graph computes (indices).
     * @return {@code x_m} for those modalities (inputs: raw features and the encoder's parameters).
     */
    public static GraphSpec forward(ModalityEncoder encoder, int numItems, int[] dims, int d, int... modalities) {
        Program q = new Program();
        Map<String, Tensor> outs = new LinkedHashMap<>();
        for (int m : modalities) {
            Tensor raw = q.input(GraphInputs.features(m), DType.FLOAT, numItems, dims[m]);
            outs.put(GraphInputs.projected(m), encoder.encode(raw, inputs(q, encoder, m, dims[m], d), m));
        }
        return OnnxGraphWriter.write("crane_projection", outs, Map.of());
    }

    /**
     * The encoder's parameter gradients from the training graph's gradient G_m of its output x_m,
     * derived by autodiff of {@code sum(x_m * G_m)}; the raw table's transposed twin (see
     * {@link Program#transposedInput}) serves the products with the raw features transposed, so for the
     * linear encoder this is {@code grad W_m = Xraw_m^T G_m} and {@code grad b_m = sum over items of G_m}.
     * @param encoder the modality encoder.
     * @param numItems N.
     * @param dims each modality's raw width D_m.
     * @param d the embedding width.
     * @param modalities the modalities whose parameters' gradients the graph computes (indices).
     * @return the graph.
     */
    public static GraphSpec backward(ModalityEncoder encoder, int numItems, int[] dims, int d, int... modalities) {
        Program q = new Program();
        Map<String, Tensor> outs = new LinkedHashMap<>();
        String g = org.crane.engine.TrainingStep.GRAD_PREFIX;
        for (int m : modalities) {
            Tensor raw = q.input(GraphInputs.features(m), DType.FLOAT, numItems, dims[m]);
            q.transposedInput(raw, GraphInputs.featuresTransposed(m));
            Map<String, Tensor> params = inputs(q, encoder, m, dims[m], d);
            Tensor gm = q.input(g + GraphInputs.projected(m), DType.FLOAT, numItems, d);
            Tensor surrogate = encoder.encode(raw, params, m).mul(gm).sumAll();
            Map<Tensor, Tensor> grads = Autodiff.gradients(surrogate, List.copyOf(params.values()));
            params.forEach((name, t) -> outs.put(g + name, grads.get(t)));
        }
        return OnnxGraphWriter.write("crane_projection_grad", outs, Map.of());
    }

    private static Map<String, Tensor> inputs(Program q, ModalityEncoder encoder, int m, int rawDim, int d) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        encoder.parameters(m, rawDim, d).forEach((name, shape) -> params.put(name, q.input(name, DType.FLOAT, shape)));
        return params;
    }
}
