package org.crane;

import org.crane.ItemId;
import org.crane.graph.TopK;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Full-ranking evaluation (MMRec protocol): every item of the catalogue is scored for each user,
 * the user's training items are excluded, the top K are selected with a bounded heap, and
 * Recall, NDCG, Precision, MAP and HitRate are averaged over users with at least one relevant item.
 * <p>
 * As a Tribuo {@link Evaluator}: a model that is a {@link RankingScorer} is evaluated by full
 * ranking; any other model is evaluated on the ranked lists in its predictions' output scores.
 * Relevant items unknown to the model stay in each user's relevant count (they can never be hit).
 */
public final class RankingEvaluator implements Evaluator<ItemId, RankingEvaluation> {
    private static final Logger logger = Logger.getLogger(RankingEvaluator.class.getName());

    /** The default cut-offs. */
    public static final int[] DEFAULT_KS = {5, 10, 20, 50};

    private static final int BLOCK = 256;

    private final int[] ks;

    /** An evaluator at the default cut-offs 5, 10, 20, 50. */
    public RankingEvaluator() {
        this(DEFAULT_KS);
    }

    /**
     * @param ks the cut-offs.
     */
    public RankingEvaluator(int... ks) {
        new RankingMetrics(ks); // validates
        this.ks = ks.clone();
    }

    /**
     * Full-ranking evaluation on dense indices.
     * @param scorer the model.
     * @param relevant per dense user index, the relevant items sorted ascending (null or empty:
     *                 user skipped). Negative entries count as relevant items that can never be hit.
     * @return the accumulated metrics.
     */
    public RankingMetrics evaluate(RankingScorer scorer, int[][] relevant) {
        return evaluate(scorer, relevant, done -> { });
    }

    /**
     * Full-ranking evaluation with progress.
     * @param scorer the model.
     * @param relevant per dense user index, the relevant items (see {@link #evaluate(RankingScorer, int[][])}).
     * @param usersDone told, from any thread, how many users have been evaluated so far.
     * @return the accumulated metrics.
     */
    public RankingMetrics evaluate(RankingScorer scorer, int[][] relevant, java.util.function.IntConsumer usersDone) {
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        int[] users = IntStream.range(0, relevant.length).filter(u -> relevant[u] != null && relevant[u].length > 0).toArray();
        int nBlocks = (users.length + BLOCK - 1) / BLOCK;
        int maxK = new RankingMetrics(ks).maxK();
        int n = scorer.numItems();
        // one score block per thread for the whole evaluation (a block is BLOCK x n floats: 64 MB at
        // 63,001 items, which a fresh array per block would make the heap grow for)
        ThreadLocal<float[]> perThread = ThreadLocal.withInitial(() -> new float[Math.multiplyExact(Math.min(BLOCK, users.length), n)]);
        return IntStream.range(0, nBlocks).parallel().mapToObj(b -> {
            int from = b * BLOCK;
            int to = Math.min(users.length, from + BLOCK);
            int[] block = Arrays.copyOfRange(users, from, to);
            float[] scores = perThread.get();
            scorer.scoreUsers(block, scores);
            RankingMetrics acc = new RankingMetrics(ks);
            int[] ranked = new int[maxK];
            for (int j = 0; j < block.length; j++) {
                int len = TopK.select(scores, j * n, n, scorer.excludedItems(block[j]), maxK, ranked, null);
                acc.add(ranked, len, relevant[block[j]]);
            }
            usersDone.accept(done.addAndGet(block.length));
            return acc;
        }).collect(() -> new RankingMetrics(ks), RankingMetrics::merge, RankingMetrics::merge);
    }

    @Override
    public RankingEvaluation evaluate(Model<ItemId> model, Dataset<ItemId> dataset) {
        return evaluate(model, dataset, done -> { });
    }

    /**
     * Tribuo evaluation with progress (full ranking when the model is a {@link RankingScorer}).
     * @param model the model.
     * @param dataset the evaluation interactions.
     * @param usersDone told how many users have been evaluated so far.
     * @return the evaluation.
     */
    public RankingEvaluation evaluate(Model<ItemId> model, Dataset<ItemId> dataset, java.util.function.IntConsumer usersDone) {
        if (model instanceof RankingScorer) {
            RankingScorer scorer = (RankingScorer) model;
            Map<Integer, TreeSet<Integer>> rel = new HashMap<>();
            Map<String, Integer> unknownItems = new HashMap<>();
            long skipped = 0;
            TreeSet<String> unknownUsers = new TreeSet<>();
            for (Example<ItemId> ex : dataset) {
                String user = userOf(ex);
                int u = scorer.userIndex(user);
                if (u < 0) {
                    unknownUsers.add(user);
                    continue;
                }
                int i = scorer.itemIndex(ex.getOutput().getId());
                if (i < 0) {
                    i = -1 - unknownItems.computeIfAbsent(ex.getOutput().getId(), k -> unknownItems.size());
                }
                rel.computeIfAbsent(u, k -> new TreeSet<>()).add(i);
            }
            skipped = unknownUsers.size();
            if (skipped > 0) {
                logger.warning(skipped + " users of the evaluation data are unknown to the model and were skipped, e.g. " + unknownUsers.first());
            }
            int[][] relevant = new int[scorer.numUsers()][];
            for (Map.Entry<Integer, TreeSet<Integer>> e : rel.entrySet()) {
                relevant[e.getKey()] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            }
            RankingMetrics m = evaluate(scorer, relevant, usersDone);
            return new RankingEvaluation(m.means(), m.users(), skipped,
                    new EvaluationProvenance(model.getProvenance(), dataset.getProvenance()), List.of());
        }
        return evaluate(model, model.predict(dataset), dataset.getProvenance());
    }

    @Override
    public RankingEvaluation evaluate(Model<ItemId> model, DataSource<ItemId> datasource) {
        return evaluate(model, new MutableDataset<>(datasource));
    }

    /**
     * Evaluates the ranked lists carried by predictions: each prediction's output scores hold a
     * user's top items; the relevant items are the outputs of that user's examples. A ranking
     * shorter than a cut-off is treated as a shorter list.
     */
    @Override
    public RankingEvaluation evaluate(Model<ItemId> model, List<Prediction<ItemId>> predictions, DataProvenance dataProvenance) {
        Map<String, TreeSet<String>> relevantByUser = new LinkedHashMap<>();
        Map<String, List<String>> rankedByUser = new HashMap<>();
        for (Prediction<ItemId> p : predictions) {
            String user = userOf(p.getExample());
            relevantByUser.computeIfAbsent(user, k -> new TreeSet<>()).add(p.getExample().getOutput().getId());
            rankedByUser.computeIfAbsent(user, k -> ranking(p));
        }
        Map<String, Integer> itemIndex = new HashMap<>();
        RankingMetrics acc = new RankingMetrics(ks);
        for (Map.Entry<String, TreeSet<String>> e : relevantByUser.entrySet()) {
            List<String> ranked = rankedByUser.get(e.getKey());
            int[] r = new int[ranked.size()];
            for (int j = 0; j < r.length; j++) {
                r[j] = itemIndex.computeIfAbsent(ranked.get(j), k -> itemIndex.size());
            }
            int[] rel = e.getValue().stream().mapToInt(s -> itemIndex.computeIfAbsent(s, k -> itemIndex.size())).sorted().toArray();
            acc.add(r, r.length, rel);
        }
        EvaluationProvenance prov = model == null ? null : new EvaluationProvenance(model.getProvenance(), dataProvenance);
        return new RankingEvaluation(acc.means(), acc.users(), 0, prov, predictions);
    }

    private static List<String> ranking(Prediction<ItemId> p) {
        List<ItemId> items = new ArrayList<>(p.getOutputScores().values());
        items.sort((a, b) -> {
            int c = Double.compare(b.getScore(), a.getScore());
            return c != 0 ? c : a.getId().compareTo(b.getId());
        });
        List<String> ids = new ArrayList<>(items.size());
        for (ItemId i : items) {
            ids.add(i.getId());
        }
        return ids;
    }

    /**
     * @param ex an interaction example.
     * @return its user's external id (from the {@code user=<id>} feature).
     */
    public static String userOf(Example<ItemId> ex) {
        return UserFeature.userOf(ex);
    }
}
