package org.crane.model;

import ai.onnx.proto.OnnxMl;
import org.crane.onnx.GraphSpec;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each ablation switch changes the part of the network it names, and only that part: its parameters,
 * its graph inputs and the operations that compute it (counted by ONNX operator type in the training
 * graph). What the switched-off part computed is checked against the equations in CraneOracleTest.
 */
class AblationGraphTest {
    private static final int M = 6;
    private static final int N = 7;
    private static final int[] DIMS = {5, 3};

    private record Shape(Set<String> parameters, Set<String> inputs, Map<String, Integer> ops) {
        int count(String op) {
            return ops.getOrDefault(op, 0);
        }
    }

    private static CraneConfig base() {
        return new CraneConfig(8, 2, 2, false, true, 2, 1, 0.2f, 0.1f, 1e-4f, false, CraneConfig.Coupling.RESIDUAL);
    }

    private static Shape shape(CraneConfig cfg, int[] dims) {
        CraneNetwork net = new CraneNetwork(cfg, M, N, dims, CraneNetwork.Layout.INLINE);
        GraphSpec spec = net.trainingGraph();
        Map<String, Integer> ops = new HashMap<>();
        try {
            for (OnnxMl.NodeProto node : OnnxMl.ModelProto.parseFrom(spec.model()).getGraph().getNodeList()) {
                ops.merge(node.getOpType(), 1, Integer::sum);
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return new Shape(net.parameterShapes().keySet(), spec.inputs().keySet(), ops);
    }

    private static CraneConfig with(UnaryOperator<CraneConfig.Builder> change) {
        return change.apply(CraneConfig.builder(base())).build();
    }

    @Test
    void recursionsZeroRemovesTheAttention() {
        Shape on = shape(base(), DIMS);
        Shape off = shape(with(b -> b.recursions(0)), DIMS);
        assertTrue(on.parameters().containsAll(Set.of("WJ", "A0", "B0", "G0", "O0", "A1")));
        assertTrue(off.parameters().stream().noneMatch(p -> p.matches("(WJ|bJ|[ABGO]\\d).*")), off.parameters().toString());
        assertTrue(on.count("Tanh") > 0, "attention scores pass through tanh");
        assertEquals(0, off.count("Tanh"), "no attention, no tanh");
        assertTrue(off.count("Softmax") < on.count("Softmax"), "fewer softmaxes (InfoNCE keeps its own)");
        assertTrue(off.parameters().containsAll(Set.of("W0", "W1", "WZ", "EU", "EI")), "projections and W_Z stay");
    }

    @Test
    void untiedRecursionsHaveWeightsOfTheirOwn() {
        Shape tied = shape(base(), DIMS);
        Shape untied = shape(with(b -> b.untieRecursions(true)), DIMS);
        assertFalse(tied.parameters().contains("A0_r1"));
        assertTrue(untied.parameters().containsAll(Set.of("A0_r0", "A0_r1", "WJ_r0", "WJ_r1")));
        assertEquals(tied.count("Tanh"), untied.count("Tanh"), "the same computation, other weights");
    }

    @Test
    void noProfilesRemovesTheUserMeanAndItsContrastiveTerm() {
        Shape on = shape(base(), DIMS);
        Shape off = shape(with(b -> b.userProfiles(false)), DIMS);
        assertTrue(on.inputs().stream().anyMatch(i -> i.startsWith(GraphInputs.USER_MEAN)));
        assertTrue(off.inputs().stream().noneMatch(i -> i.startsWith(GraphInputs.USER_MEAN)), off.inputs().toString());
        assertTrue(on.inputs().contains(GraphInputs.CL_USERS));
        assertFalse(off.inputs().contains(GraphInputs.CL_USERS), "no user-side InfoNCE without profiles");
        assertEquals(on.parameters(), off.parameters(), "profiles have no parameters");
    }

    @Test
    void noSemanticGraphRemovesTheItemItemGraph() {
        Shape on = shape(base(), DIMS);
        Shape off = shape(with(b -> b.itemGraphLayers(0)), DIMS);
        assertTrue(on.inputs().stream().anyMatch(i -> i.startsWith(GraphInputs.ITEM_GRAPH)));
        assertTrue(off.inputs().stream().noneMatch(i -> i.startsWith(GraphInputs.ITEM_GRAPH)), off.inputs().toString());
        Shape ids = shape(with(b -> b.itemGraphIds(true)), DIMS);
        assertTrue(ids.ops().values().stream().mapToInt(Integer::intValue).sum() > on.ops().values().stream().mapToInt(Integer::intValue).sum(),
                "propagating the item IDs too adds operations");
    }

    @Test
    void noContrastiveWeightRemovesInfoNce() {
        Shape on = shape(base(), DIMS);
        Shape off = shape(with(b -> b.contrastiveWeight(0)), DIMS);
        assertTrue(on.inputs().contains(GraphInputs.CL_ITEMS));
        assertFalse(off.inputs().contains(GraphInputs.CL_ITEMS));
        assertTrue(off.count("ReduceLogSumExp") + off.count("LogSumExp") < on.count("ReduceLogSumExp") + on.count("LogSumExp")
                || off.count("Exp") < on.count("Exp"), "no log-sum-exp of InfoNCE");
    }

    @Test
    void noModalitiesIsLightGcn() {
        Shape lightGcn = shape(base(), new int[0]);
        assertEquals(Set.of("EU", "EI"), lightGcn.parameters());
        assertTrue(lightGcn.inputs().stream().noneMatch(i -> i.startsWith("features") || i.startsWith(GraphInputs.ITEM_GRAPH)));
    }
}
