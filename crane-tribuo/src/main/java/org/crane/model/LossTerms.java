package org.crane.model;

import org.crane.onnx.DType;
import org.crane.onnx.Tensor;

import java.util.List;

/** CRANE's loss terms, and the BPR and InfoNCE forms they share. */
public final class LossTerms {
    /** Name of the fused BPR term (also the {@code bpr} output). */
    public static final String BPR = "bpr";
    /** Name of the contrastive term (also the {@code cl} output). */
    public static final String CL = "cl";

    private LossTerms() {
    }

    /** BPR on the fused scores: {@code mean softplus(-(u.i - u.j))}. */
    public static final LossTerm FUSED_BPR = term(BPR, v -> new LossTerm.Weighted(
            bpr(v.batchUsers(), v.items().gatherRows(v.pos()), v.items().gatherRows(v.neg())), 1f));

    /** lambda_reg times the squared norm of the batch's ID embeddings, per triple. */
    public static final LossTerm L2 = term("l2", v -> {
        Tensor eu = v.userIds();
        Tensor ei = v.itemIds();
        Tensor reg = eu.gatherRows(v.users()).mul(eu.gatherRows(v.users())).sumAll()
                .add(ei.gatherRows(v.pos()).mul(ei.gatherRows(v.pos())).sumAll())
                .add(ei.gatherRows(v.neg()).mul(ei.gatherRows(v.neg())).sumAll())
                .div(v.users().rowsOf().toFloat().sumAll());
        return new LossTerm.Weighted(reg, v.cfg().regWeight());
    });

    /** Under residual coupling, the behaviour view's own BPR loss: what trains the ID embeddings. */
    public static final LossTerm BEHAVIOUR_BPR = term("behaviour-bpr", v -> !v.residual() ? null : new LossTerm.Weighted(
            bpr(v.behaviourUsers().gatherRows(v.users()), v.behaviourItems().gatherRows(v.pos()), v.behaviourItems().gatherRows(v.neg())), 1f));

    /**
     * lambda_cl times InfoNCE between the behaviour and semantic views of the batch's distinct items,
     * plus the same over its distinct users when users have profiles.
     */
    public static final LossTerm INFO_NCE = term(CL, v -> {
        if (v.semanticItems() == null || v.cfg().contrastiveWeight() <= 0) {
            return null;
        }
        // over the batch's distinct items and users: a repeated id would be its own negative
        Tensor ci = v.program().input(GraphInputs.CL_ITEMS, DType.INT64, -1);
        float tau = v.cfg().temperature();
        Tensor cl = infoNce(v.contrastItems().gatherRows(ci), v.semanticItems().gatherRows(ci), tau);
        if (v.batchProfiles() != null) {
            cl = cl.add(infoNce(v.contrastUsers().gatherRows(v.profileUsers()), v.batchProfiles(), tau));
        } else if (v.semanticUsers() != null) {
            Tensor cu = v.program().input(GraphInputs.CL_USERS, DType.INT64, -1);
            cl = cl.add(infoNce(v.contrastUsers().gatherRows(cu), v.semanticUsers().gatherRows(cu), tau));
        }
        return new LossTerm.Weighted(cl, v.cfg().contrastiveWeight());
    });

    /** @return CRANE's objective, in the order its terms are added. */
    public static List<LossTerm> defaults() {
        return List.of(FUSED_BPR, L2, BEHAVIOUR_BPR, INFO_NCE);
    }

    /**
     * The objective's outputs: the weighted sum of the terms, the fused BPR term and the contrastive term
     * (unweighted; 0 when absent).
     * @param loss the total.
     * @param bpr the fused BPR term.
     * @param cl the contrastive term.
     */
    record Objective(Tensor loss, Tensor bpr, Tensor cl) {
    }

    /**
     * @param terms the terms, added in this order (the fused BPR term among them).
     * @param v what they read.
     * @return the objective.
     * @throws IllegalArgumentException without the fused BPR term.
     */
    static Objective objective(List<LossTerm> terms, BatchViews v) {
        Tensor total = null;
        Tensor bprTerm = null;
        Tensor clTerm = null;
        for (LossTerm term : terms) {
            LossTerm.Weighted w = term.build(v);
            if (w == null) {
                continue;
            }
            Tensor contribution = w.weight() == 1f ? w.value() : w.value().mul(w.weight());
            total = total == null ? contribution : total.add(contribution);
            if (term.name().equals(BPR)) {
                bprTerm = w.value();
            } else if (term.name().equals(CL)) {
                clTerm = w.value();
            }
        }
        if (total == null || bprTerm == null) {
            throw new IllegalArgumentException("The objective needs the fused BPR term (" + BPR + "), got " + terms);
        }
        return new Objective(total, bprTerm, clTerm == null ? v.program().scalar(0f).identity() : clTerm);
    }

    /** BPR over a batch: {@code mean softplus(-(u.i - u.j))}. */
    static Tensor bpr(Tensor u, Tensor i, Tensor j) {
        return u.mul(i).sum(false, -1).sub(u.mul(j).sum(false, -1)).neg().softplus().meanAll();
    }

    /** InfoNCE with in-batch negatives between matching rows of a and b, at temperature tau. */
    static Tensor infoNce(Tensor a, Tensor b, float tau) {
        Tensor an = a.l2NormalizeRows(1e-12f).mul(1f / tau);
        Tensor bn = b.l2NormalizeRows(1e-12f);
        Tensor logits = an.matmul(bn.transposeLast2());
        Tensor pos = an.mul(bn).sum(false, -1);
        return logits.logSumExp(-1).sub(pos).meanAll();
    }

    private static LossTerm term(String name, java.util.function.Function<BatchViews, LossTerm.Weighted> build) {
        return new LossTerm() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Weighted build(BatchViews v) {
                return build.apply(v);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
