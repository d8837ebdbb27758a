package org.crane.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.crane.train.CraneModel;

import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Export a trained model to ONNX and score a user with a plain OrtSession (no CRANE code at inference). */
public final class ExportAndScore {
    private ExportAndScore() {
    }

    /**
     * @param epochs training epochs of the model to export.
     * @return the ONNX graph's top items for user "0".
     * @throws Exception on failure.
     */
    public static long[] run(int epochs) throws Exception {
        CraneModel model = TrainFromXml.run(epochs);
        Path onnx = Files.createTempFile("crane", ".onnx");
        model.saveONNXModel("org.crane", 1, onnx);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor user = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{model.userIndex("0")}), new long[]{1});
             OrtSession.Result r = session.run(Map.of("user", user))) {
            long[] items = ((long[][]) r.get("items").get().getValue())[0];
            float[] scores = ((float[][]) r.get("scores").get().getValue())[0];
            for (int k = 0; k < 5; k++) {
                System.out.println("rank " + (k + 1) + ": item " + items[k] + " (" + scores[k] + ")");
            }
            return items;
        }
    }

    /**
     * @param args optional: epochs (default 10).
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    }
}
