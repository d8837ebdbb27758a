package org.crane.model;

import org.crane.onnx.Tensor;

import java.util.Map;

/**
 * How a modality's raw features become its d-wide representation x_m, the input of the cross-modal
 * attention. The network creates the parameters it names (role {@link ParameterRole#PROJECTION}) and
 * calls {@link #encode}; the layout that computes the encodings outside the training graph derives
 * its forward and backward graphs from the same two methods ({@link ProjectionGraphs}), so a new
 * encoder is this one class.
 */
public interface ModalityEncoder {
    /**
     * @param m the modality's index.
     * @param rawDim its raw width D_m.
     * @param d the representation width.
     * @return the encoder's parameters for this modality, name to shape, in creation order (names unique
     *         across modalities).
     */
    Map<String, long[]> parameters(int m, int rawDim, int d);

    /**
     * @param raw the raw features, N x D_m.
     * @param params the parameters {@link #parameters} named, by name.
     * @param m the modality's index.
     * @return x_m, N x d.
     */
    Tensor encode(Tensor raw, Map<String, Tensor> params, int m);

    /**
     * @return whether the encoding is {@code raw W_m + b_m} with the parameters named
     *         {@link ProjectionGraphs#weight} and {@link ProjectionGraphs#bias}, so that the trainer may
     *         compute it with its sparse Java kernel.
     */
    default boolean affine() {
        return false;
    }

    /** The method's encoder: a linear projection {@code x_m = Xraw_m W_m + b_m}. */
    ModalityEncoder LINEAR = new ModalityEncoder() {
        @Override
        public Map<String, long[]> parameters(int m, int rawDim, int d) {
            Map<String, long[]> p = new java.util.LinkedHashMap<>();
            p.put(ProjectionGraphs.weight(m), new long[]{rawDim, d});
            p.put(ProjectionGraphs.bias(m), new long[]{d});
            return p;
        }

        @Override
        public Tensor encode(Tensor raw, Map<String, Tensor> params, int m) {
            return raw.matmul(params.get(ProjectionGraphs.weight(m))).add(params.get(ProjectionGraphs.bias(m)));
        }

        @Override
        public boolean affine() {
            return true;
        }

        @Override
        public String toString() {
            return "linear projection";
        }
    };
}
