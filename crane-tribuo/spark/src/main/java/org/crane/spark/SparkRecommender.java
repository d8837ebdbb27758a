package org.crane.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crane.data.IdMap;
import org.crane.train.CraneModel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Top-K recommendations of a saved {@link CraneModel} for every user, or for a DataFrame of user ids,
 * as a Spark job. The computation is the one Spark ML's ALS uses for {@code recommendForAllUsers}: the
 * user table in blocks of {@code userBlock} rows, the item table in blocks of {@code itemBlock} rows,
 * every (user block, item block) pair scored by one dense product, each user's top-K per item block
 * (training items left out), and the per-block lists merged per user (map-side first, then after a
 * shuffle keyed by user). The result equals {@code CraneModel.recommend} for every user: the same
 * items in the same order (ties to the lower item index), and with {@link Scoring#ONNX} the same scores.
 *
 * <p>The model is read on the driver; the user table is distributed from it (one slice per user
 * block), the item table in partitions of at most {@value #ITEM_PARTITION_BYTES} bytes, and only
 * the user id map is broadcast.
 */
public final class SparkRecommender {
    /** The recommendations' schema: user id, 1-based rank, item id, score. */
    public static final StructType SCHEMA = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("rank", DataTypes.IntegerType, false)
            .add("item", DataTypes.StringType, false)
            .add("score", DataTypes.FloatType, false);
    /** The unknown users' schema. */
    public static final StructType USERS = new StructType().add("user", DataTypes.StringType, false);
    /** The largest share of the item table one partition holds. */
    static final long ITEM_PARTITION_BYTES = 64L << 20;

    private final int k;
    private final int userBlock;
    private final int itemBlock;
    private final Scoring scoring;

    /**
     * @param k items per user.
     * @param userBlock users per block (Spark ML's ALS uses 4096).
     * @param itemBlock items per block.
     * @param scoring how each block pair is multiplied.
     */
    public SparkRecommender(int k, int userBlock, int itemBlock, Scoring scoring) {
        if (k < 1 || userBlock < 1 || itemBlock < 1) {
            throw new IllegalArgumentException("k, userBlock and itemBlock must be >= 1, got " + k + ", " + userBlock + ", " + itemBlock);
        }
        if ((long) userBlock * itemBlock > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("userBlock x itemBlock must stay below " + Integer.MAX_VALUE / 2 + " scores");
        }
        this.k = k;
        this.userBlock = userBlock;
        this.itemBlock = itemBlock;
        this.scoring = scoring;
    }

    /** With ALS's blocks of 4096 users, items in blocks of 4096 and ONNX Runtime scoring. */
    public SparkRecommender(int k) {
        this(k, 4096, 4096, Scoring.ONNX);
    }

    /**
     * What a run produced.
     * @param recommendations (user, rank, item, score), {@link #SCHEMA}; lazily computed.
     * @param unknownUsers the requested ids the model does not know ({@link #USERS}): they have no rows above.
     */
    public record Result(Dataset<Row> recommendations, Dataset<Row> unknownUsers) {
    }

    /**
     * @param spark a session.
     * @param model the model.
     * @param users a DataFrame whose first column holds user ids (any type, read as strings; duplicates and
     *        nulls ignored), or null for every user of the model.
     * @return the recommendations and the unknown users.
     */
    public Result recommend(SparkSession spark, CraneModel model, Dataset<Row> users) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int d = model.getEmbeddingSize();
        int m = model.numUsers();
        Broadcast<IdMap> ids = jsc.broadcast(model.getUsers());
        JavaRDD<UserRow> table = jsc.parallelize(userRows(model), Math.max(1, (m + userBlock - 1) / userBlock));
        JavaRDD<UserRow> wanted;
        Dataset<Row> unknown;
        if (users == null) {
            wanted = table;
            unknown = spark.createDataFrame(List.of(), USERS);
        } else {
            JavaPairRDD<String, Integer> labelled = users.select(users.col(users.columns()[0]).cast(DataTypes.StringType))
                    .na().drop().distinct().javaRDD()
                    .mapToPair(r -> new Tuple2<>(r.getString(0), ids.value().index(r.getString(0))));
            unknown = spark.createDataFrame(labelled.filter(t -> t._2() < 0).map(t -> RowFactory.create(t._1())), USERS);
            wanted = table.mapToPair(r -> new Tuple2<>(r.user(), r))
                    .join(labelled.filter(t -> t._2() >= 0).mapToPair(t -> new Tuple2<>(t._2(), Boolean.TRUE)), table.getNumPartitions())
                    .values().map(Tuple2::_1);
        }
        int ub = userBlock;
        JavaRDD<UserBlock> userBlocks = wanted.mapPartitions(rows -> blocks(rows, ub, d));
        JavaRDD<ItemBlock> itemBlocks = jsc.parallelize(itemBlocks(model.getItemEmbeddings(), d, itemBlock),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) model.numItems() * d * Float.BYTES / ITEM_PARTITION_BYTES + 1)));
        int kk = k;
        Scoring sc = scoring;
        JavaRDD<Row> rows = userBlocks.cartesian(itemBlocks)
                .mapPartitionsToPair(pairs -> new BlockPairs(pairs, sc, d, kk))
                .reduceByKey((a, b) -> TopList.merge(a, b, kk))
                .flatMap(t -> rows(ids.value().externalId(t._1()), t._2()).iterator());
        return new Result(spark.createDataFrame(rows, SCHEMA), unknown);
    }

    /** One user of the model's table. */
    record UserRow(int user, float[] embedding, int[] seen) implements java.io.Serializable {
    }

    private static List<UserRow> userRows(CraneModel model) {
        int d = model.getEmbeddingSize();
        float[] emb = model.getUserEmbeddings();
        List<UserRow> out = new ArrayList<>(model.numUsers());
        for (int u = 0; u < model.numUsers(); u++) {
            out.add(new UserRow(u, Arrays.copyOfRange(emb, u * d, (u + 1) * d), model.excludedItems(u)));
        }
        return out;
    }

    private static java.util.Iterator<UserBlock> blocks(java.util.Iterator<UserRow> rows, int size, int d) {
        List<UserBlock> out = new ArrayList<>();
        List<UserRow> cur = new ArrayList<>();
        while (rows.hasNext()) {
            cur.add(rows.next());
            if (cur.size() == size || !rows.hasNext()) {
                int[] us = new int[cur.size()];
                float[] emb = new float[cur.size() * d];
                int[][] seen = new int[cur.size()][];
                for (int q = 0; q < us.length; q++) {
                    us[q] = cur.get(q).user();
                    System.arraycopy(cur.get(q).embedding(), 0, emb, q * d, d);
                    seen[q] = cur.get(q).seen();
                }
                out.add(new UserBlock(us, emb, seen));
                cur.clear();
            }
        }
        return out.iterator();
    }

    static List<ItemBlock> itemBlocks(float[] itemEmb, int d, int size) {
        int n = itemEmb.length / d;
        List<ItemBlock> out = new ArrayList<>();
        for (int start = 0; start < n; start += size) {
            int end = Math.min(n, start + size);
            out.add(new ItemBlock(start, Arrays.copyOfRange(itemEmb, start * d, end * d)));
        }
        return out;
    }

    /** The model's item ids are the item indices as text (as in {@code CraneModel.recommend}). */
    private static List<Row> rows(String user, TopList top) {
        List<Row> out = new ArrayList<>(top.items().length);
        for (int r = 0; r < top.items().length; r++) {
            out.add(RowFactory.create(user, r + 1, Integer.toString(top.items()[r]), top.scores()[r]));
        }
        return out;
    }
}
