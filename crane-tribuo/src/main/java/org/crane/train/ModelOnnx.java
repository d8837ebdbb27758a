package org.crane.train;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import org.crane.UserFeature;
import org.crane.model.ScoringGraphs;
import org.crane.onnx.OnnxOp;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ONNXExportable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two ONNX forms of a {@link CraneModel}: the standalone recommender and Tribuo's scoring graph. */
final class ModelOnnx {
    private ModelOnnx() {
    }

    /** See {@link CraneModel#exportONNXModel(String, long, int)}. */
    static OnnxMl.ModelProto recommendGraph(CraneModel m, String provenanceJson, String domain, long modelVersion, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        long[] su = new long[Arrays.stream(m.seen).mapToInt(s -> s.length).sum()];
        long[] si = new long[su.length];
        int q = 0;
        for (int u = 0; u < m.seen.length; u++) {
            for (int i : m.seen[u]) {
                su[q] = u;
                si[q++] = i;
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ONNXExportable.PROVENANCE_METADATA_FIELD, provenanceJson);
        meta.put("crane.users", Integer.toString(m.users.size()));
        meta.put("crane.items", Integer.toString(m.numItems));
        meta.put("crane.k", Integer.toString(Math.min(k, m.numItems)));
        meta.put("crane.item_ids", "an item's id is its output index");
        try {
            meta.put("crane.user_ids", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    java.util.stream.IntStream.range(0, m.users.size()).mapToObj(m.users::externalId).toList()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the user id map", e);
        }
        try {
            OnnxMl.ModelProto onnx = OnnxMl.ModelProto.parseFrom(ScoringGraphs.recommend(m.userEmb, m.itemEmb, m.d, su, si, k, meta).model());
            return onnx.toBuilder().setDomain(domain).setModelVersion(modelVersion).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Emitted an unreadable ONNX model", e);
        }
    }

    /** See {@link CraneModel#writeONNXGraph(ONNXRef)}. */
    static ONNXNode scoreGraph(CraneModel m, ImmutableFeatureMap featureIDMap, ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        int f = featureIDMap.size();
        float[] byFeature = new float[f * m.d];
        for (int j = 0; j < f; j++) {
            String name = featureIDMap.get(j).getName();
            String id = UserFeature.idOf(name);
            int u = id == null ? -1 : m.users.index(id);
            if (u >= 0) {
                System.arraycopy(m.userEmb, u * m.d, byFeature, j * m.d, m.d);
            }
        }
        float[] itemT = new float[m.d * m.numItems];
        for (int i = 0; i < m.numItems; i++) {
            for (int c = 0; c < m.d; c++) {
                itemT[c * m.numItems + i] = m.itemEmb[i * m.d + c];
            }
        }
        ONNXRef<?> ue = ctx.floatTensor("crane_user_emb", List.of(f, m.d), fb -> fb.put(byFeature));
        ONNXRef<?> it = ctx.floatTensor("crane_item_emb_t", List.of(m.d, m.numItems), fb -> fb.put(itemT));
        ONNXNode userVec = ctx.operation(OnnxOp.MATMUL, List.of(input, ue), "crane_user_vec");
        return ctx.operation(OnnxOp.MATMUL, List.of(userVec, it), "crane_scores");
    }
}
