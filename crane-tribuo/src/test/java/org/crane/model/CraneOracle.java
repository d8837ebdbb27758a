package org.crane.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CRANE's forward pass and training loss written out again in plain Java, in float64, from the
 * equations (crane-method.md) rather than from the graph builder: the LightGCN behaviour view, the
 * modality projections, R recursions of cross-modal attention over T tokens, the semantic output
 * projection, L_ii layers over the stacked item-item graph, user profiles, the fused scores, BPR, the
 * two InfoNCE terms and the L2 penalty. Inline layout only (projections inside the graph, profiles of
 * every user). Where {@code frozen} is given, the terms the network stops gradients at read the
 * behaviour view (and the item ID embeddings) from it instead of from the parameters, so that central
 * differences of this function are the gradients the stop-gradient graph computes.
 */
final class CraneOracle {
    /** The batch: BPR triples and the distinct items and users of the contrastive terms. */
    record Batch(int[] users, int[] pos, int[] neg, int[] clItems, int[] clUsers) {
    }

    /** What the network outputs for a batch. */
    record Losses(double total, double bpr, double cl) {
    }

    /** The behaviour view (and item ID embeddings) held fixed in the stop-gradient places. */
    record Frozen(double[][] eBarU, double[][] eBarI, double[][] itemIds) {
    }

    private final CraneConfig cfg;
    private final int m;
    private final int n;
    private final double[][][] features;
    private final double[][] adjacency;
    private final double[][] itemGraph;
    private final double[][] userMean;

    /**
     * @param cfg the configuration.
     * @param m users.
     * @param n items.
     * @param features raw features per modality (N x D_m).
     * @param adjacency the normalised user-item graph, (M+N) x (M+N).
     * @param itemGraph the stacked item-item graph, N x (K N).
     * @param userMean the user-mean matrix, M x N.
     */
    CraneOracle(CraneConfig cfg, int m, int n, double[][][] features, double[][] adjacency, double[][] itemGraph, double[][] userMean) {
        this.cfg = cfg;
        this.m = m;
        this.n = n;
        this.features = features;
        this.adjacency = adjacency;
        this.itemGraph = itemGraph;
        this.userMean = userMean;
    }

    /** @return the behaviour view at these parameters, to freeze. */
    Frozen behaviour(Map<String, double[]> p) {
        double[][][] v = behaviourView(p);
        return new Frozen(v[0], v[1], mat(p.get("EI"), n, cfg.embeddingSize()));
    }

    /** {users, items} of mean_l A^l E0. */
    private double[][][] behaviourView(Map<String, double[]> p) {
        int d = cfg.embeddingSize();
        double[][] e = new double[m + n][];
        double[][] eu = mat(p.get("EU"), m, d);
        double[][] ei = mat(p.get("EI"), n, d);
        System.arraycopy(eu, 0, e, 0, m);
        System.arraycopy(ei, 0, e, m, n);
        double[][] sum = copy(e);
        for (int l = 0; l < cfg.userItemLayers(); l++) {
            e = mul(adjacency, e);
            sum = add(sum, e);
        }
        double[][] bar = scale(sum, 1.0 / (cfg.userItemLayers() + 1));
        double[][] u = new double[m][];
        double[][] i = new double[n][];
        System.arraycopy(bar, 0, u, 0, m);
        System.arraycopy(bar, m, i, 0, n);
        return new double[][][]{u, i};
    }

    /**
     * @param p every parameter, by name.
     * @param b the batch.
     * @param frozen the behaviour view for the stop-gradient places (RESIDUAL coupling), or null.
     * @return the losses.
     */
    Losses losses(Map<String, double[]> p, Batch b, Frozen frozen) {
        int d = cfg.embeddingSize();
        int k = features.length;
        double[][][] view = behaviourView(p);
        double[][] eBarU = view[0];
        double[][] eBarI = view[1];
        boolean residual = k > 0 && cfg.coupling() != CraneConfig.Coupling.JOINT;
        Frozen f = residual ? frozen : null;
        double[][] fU = f != null ? f.eBarU() : eBarU;
        double[][] fI = f != null ? f.eBarI() : eBarI;
        boolean clStopped = cfg.coupling() == CraneConfig.Coupling.RESIDUAL;
        double[][] cU = clStopped ? fU : eBarU;
        double[][] cI = clStopped ? fI : eBarI;

        double[][] hI = null;
        double[][] hU = null;
        double[][] sIds = null;
        if (k > 0) {
            hI = semantic(p, d, k);
            if (cfg.itemGraphLayers() > 0) {
                hI = propagate(hI, k);
                if (cfg.itemGraphIds()) {
                    sIds = propagate(f != null ? f.itemIds() : mat(p.get("EI"), n, d), k);
                }
            }
            if (cfg.userProfiles()) {
                hU = mul(userMean, hI);
            }
        }
        double[][] eU = hU == null ? eBarU : add(fU, hU);
        double[][] eI = hI == null ? eBarI : add(fI, hI);
        if (sIds != null) {
            eI = add(eI, sIds);
        }
        double bpr = bpr(eU, eI, b);
        double cl = 0;
        boolean hasCl = hI != null && cfg.contrastiveWeight() > 0;
        if (hasCl) {
            cl = infoNce(rows(cI, b.clItems()), rows(hI, b.clItems()));
            if (hU != null) {
                cl += infoNce(rows(cU, b.clUsers()), rows(hU, b.clUsers()));
            }
        }
        double[] eu0 = p.get("EU");
        double[] ei0 = p.get("EI");
        double reg = 0;
        for (int q = 0; q < b.users().length; q++) {
            for (int c = 0; c < d; c++) {
                reg += sq(eu0[b.users()[q] * d + c]) + sq(ei0[b.pos()[q] * d + c]) + sq(ei0[b.neg()[q] * d + c]);
            }
        }
        reg /= b.users().length;
        double total = bpr + cfg.regWeight() * reg;
        if (residual) {
            total += bpr(eBarU, eBarI, b);
        }
        if (hasCl) {
            total += cfg.contrastiveWeight() * cl;
        }
        return new Losses(total, bpr, cl);
    }

    /** Z: projections, R recursions of cross-modal attention, the output projection. */
    private double[][] semantic(Map<String, double[]> p, int d, int k) {
        List<double[][]> x = new ArrayList<>();
        for (int mod = 0; mod < k; mod++) {
            int dm = features[mod][0].length;
            x.add(addRow(mul(features[mod], mat(p.get("W" + mod), dm, d)), p.get("b" + mod)));
        }
        int t = cfg.tokens();
        int dt = d / t;
        for (int r = 0; r < cfg.recursions(); r++) {
            String sfx = cfg.untieRecursions() ? "_r" + r : "";
            double[][] joint = addRow(mul(concatColumns(x), mat(p.get("WJ" + sfx), k * d, d)), p.get("bJ" + sfx));
            List<double[][]> next = new ArrayList<>();
            for (int mod = 0; mod < k; mod++) {
                double[][] am = mat(p.get("A" + mod + sfx), dt, dt);
                double[][] bm = mat(p.get("B" + mod + sfx), dt, dt);
                double[][] gm = mat(p.get("G" + mod + sfx), dt, dt);
                double[][] om = mat(p.get("O" + mod + sfx), d, d);
                double[][] h = new double[n][d];
                for (int item = 0; item < n; item++) {
                    double[][] xt = tokens(x.get(mod)[item], t, dt);
                    double[][] jt = tokens(joint[item], t, dt);
                    // c = tanh((x_t A)(J_t)^T / sqrt(dt)); h = relu(x_t B + softmax(c) J_t G)
                    double[][] c = scale(mul(mul(xt, am), transpose(jt)), 1 / Math.sqrt(dt));
                    double[][] att = softmaxRows(tanh(c));
                    double[][] ht = relu(add(mul(xt, bm), mul(mul(att, jt), gm)));
                    for (int tok = 0; tok < t; tok++) {
                        System.arraycopy(ht[tok], 0, h[item], tok * dt, dt);
                    }
                }
                next.add(add(x.get(mod), mul(h, om)));
            }
            x = next;
        }
        return addRow(mul(concatColumns(x), mat(p.get("WZ"), k * d, d)), p.get("bZ"));
    }

    private double[][] propagate(double[][] h, int k) {
        for (int l = 0; l < cfg.itemGraphLayers(); l++) {
            double[][] stacked = new double[k * n][];
            for (int b = 0; b < k; b++) {
                System.arraycopy(h, 0, stacked, b * n, n);
            }
            h = mul(itemGraph, stacked);
        }
        return h;
    }

    private static double bpr(double[][] eU, double[][] eI, Batch b) {
        double s = 0;
        for (int q = 0; q < b.users().length; q++) {
            double diff = dot(eU[b.users()[q]], eI[b.pos()[q]]) - dot(eU[b.users()[q]], eI[b.neg()[q]]);
            s += softplus(-diff);
        }
        return s / b.users().length;
    }

    private double infoNce(double[][] a, double[][] b) {
        double[][] an = scale(normalizeRows(a), 1 / cfg.temperature());
        double[][] bn = normalizeRows(b);
        double s = 0;
        for (int r = 0; r < an.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] logits = new double[bn.length];
            for (int c = 0; c < bn.length; c++) {
                logits[c] = dot(an[r], bn[c]);
                max = Math.max(max, logits[c]);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            s += max + Math.log(z) - dot(an[r], bn[r]);
        }
        return s / an.length;
    }

    // ----- small dense algebra

    static double[][] mat(double[] v, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, a[r], 0, cols);
        }
        return a;
    }

    private static double[][] tokens(double[] row, int t, int dt) {
        return mat(row, t, dt);
    }

    static double[][] mul(double[][] a, double[][] b) {
        int inner = b.length;
        int cols = b[0].length;
        double[][] c = new double[a.length][cols];
        for (int r = 0; r < a.length; r++) {
            for (int q = 0; q < inner; q++) {
                double x = a[r][q];
                if (x != 0) {
                    for (int j = 0; j < cols; j++) {
                        c[r][j] += x * b[q][j];
                    }
                }
            }
        }
        return c;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int j = 0; j < a[0].length; j++) {
                c[r][j] = a[r][j] + b[r][j];
            }
        }
        return c;
    }

    private static double[][] addRow(double[][] a, double[] bias) {
        double[][] c = copy(a);
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] += bias[j];
            }
        }
        return c;
    }

    private static double[][] scale(double[][] a, double s) {
        double[][] c = copy(a);
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= s;
            }
        }
        return c;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            c[r] = a[r].clone();
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                t[c][r] = a[r][c];
            }
        }
        return t;
    }

    private static double[][] concatColumns(List<double[][]> parts) {
        int rows = parts.get(0).length;
        int cols = parts.stream().mapToInt(x -> x[0].length).sum();
        double[][] c = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            int off = 0;
            for (double[][] x : parts) {
                System.arraycopy(x[r], 0, c[r], off, x[r].length);
                off += x[r].length;
            }
        }
        return c;
    }

    private static double[][] rows(double[][] a, int[] idx) {
        double[][] c = new double[idx.length][];
        for (int q = 0; q < idx.length; q++) {
            c[q] = a[idx[q]];
        }
        return c;
    }

    private static double[][] tanh(double[][] a) {
        double[][] c = copy(a);
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.tanh(row[j]);
            }
        }
        return c;
    }

    private static double[][] relu(double[][] a) {
        double[][] c = copy(a);
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.max(0, row[j]);
            }
        }
        return c;
    }

    private static double[][] softmaxRows(double[][] a) {
        double[][] c = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a[r]) {
                max = Math.max(max, v);
            }
            double z = 0;
            c[r] = new double[a[r].length];
            for (int j = 0; j < a[r].length; j++) {
                c[r][j] = Math.exp(a[r][j] - max);
                z += c[r][j];
            }
            for (int j = 0; j < a[r].length; j++) {
                c[r][j] /= z;
            }
        }
        return c;
    }

    private static double[][] normalizeRows(double[][] a) {
        double[][] c = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            double norm = Math.sqrt(dot(a[r], a[r]) + 1e-12);
            c[r] = new double[a[r].length];
            for (int j = 0; j < a[r].length; j++) {
                c[r][j] = a[r][j] / norm;
            }
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private static double sq(double x) {
        return x * x;
    }
}
