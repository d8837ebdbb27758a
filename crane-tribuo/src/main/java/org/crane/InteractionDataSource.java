package org.crane;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import org.crane.ItemId;
import org.crane.ItemIdFactory;
import org.crane.data.DataFileProvenance;
import org.crane.data.FileFingerprint;
import org.crane.data.InteractionReader;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.OutputFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataSourceProvenance;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Tribuo data source over one split of an MMRec {@code .inter} file. Each interaction becomes an
 * example with the single feature {@code user=<user id>} (value 1), the output
 * {@code ItemId(<item id>)} and the interaction's weight. The provenance records the file's path,
 * SHA-256, size and modification time, so a dataset's provenance identifies its bytes.
 */
public final class InteractionDataSource implements ConfigurableDataSource<ItemId> {
    /** Prefix of the one feature each example carries. */
    public static final String USER_FEATURE_PREFIX = UserFeature.PREFIX;

    @Config(mandatory = true, description = "The MMRec .inter file (tab separated, with a header).")
    private Path file;

    @Config(description = "Which split to read: TRAIN (x_label 0), VALID (1) or TEST (2).")
    private Split split = Split.TRAIN;

    @Config(description = "Catalogue size, or -1 to use the largest item id + 1.")
    private int numItems = -1;

    private Interactions interactions;

    private InteractionDataSource() {
    }

    /**
     * Reads a split of a file.
     * @param file the .inter file.
     * @param split the split.
     * @throws IOException when it cannot be read.
     */
    public InteractionDataSource(Path file, Split split) throws IOException {
        this.file = file;
        this.split = split;
        this.interactions = InteractionReader.read(file, numItems);
    }

    /**
     * A split of interactions already read from a file (avoids reading the file once per split).
     * @param interactions the interactions; they must come from a file.
     * @param split the split.
     */
    public InteractionDataSource(Interactions interactions, Split split) {
        if (interactions.source() == null) {
            throw new IllegalArgumentException("Interactions without a source file cannot carry file provenance");
        }
        this.file = Path.of(interactions.source().path());
        this.split = split;
        this.numItems = interactions.numItems();
        this.interactions = interactions;
    }

    @Override
    public void postConfig() {
        try {
            interactions = InteractionReader.read(file, numItems);
        } catch (IOException e) {
            throw new PropertyException(e, "", "file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** @return all interactions of the file (every split). */
    public Interactions getInteractions() {
        return interactions;
    }

    /** @return the split this source yields. */
    public Split getSplit() {
        return split;
    }

    /**
     * Builds a Tribuo dataset of this split's examples.
     * @return the dataset.
     */
    public MutableDataset<ItemId> toDataset() {
        return new MutableDataset<>(this);
    }

    @Override
    public OutputFactory<ItemId> getOutputFactory() {
        return ItemIdFactory.INSTANCE;
    }

    @Override
    public Iterator<Example<ItemId>> iterator() {
        int[] rows = interactions.rows(split);
        List<Example<ItemId>> view = new AbstractList<>() {
            @Override
            public Example<ItemId> get(int k) {
                int r = rows[k];
                String user = interactions.users().externalId(interactions.user(r));
                ArrayExample<ItemId> ex = new ArrayExample<>(new ItemId(Integer.toString(interactions.item(r))), interactions.weight(r));
                ex.add(UserFeature.name(user), 1.0);
                return ex;
            }

            @Override
            public int size() {
                return rows.length;
            }
        };
        return view.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        FileFingerprint fp = interactions.source();
        Map<String, PrimitiveProvenance<?>> inst = new HashMap<>();
        inst.put(DataFileProvenance.INSTANCE_PREFIX + "sha256", new HashProvenance(ProvenanceUtil.HashType.SHA256, DataFileProvenance.INSTANCE_PREFIX + "sha256", fp.sha256()));
        inst.put(DataFileProvenance.INSTANCE_PREFIX + "modified", new DateTimeProvenance(DataFileProvenance.INSTANCE_PREFIX + "modified", fp.modified().atOffset(ZoneOffset.UTC)));
        inst.put(DataFileProvenance.INSTANCE_PREFIX + "rows", new IntProvenance(DataFileProvenance.INSTANCE_PREFIX + "rows", interactions.count(split)));
        return new DataFileProvenance(this, "DataSource", inst);
    }

    @Override
    public String toString() {
        return "InteractionDataSource(" + file + ", " + split.label() + ")";
    }

    /**
     * Convenience: reads a file once and returns the three splits' datasets.
     * @param interactions interactions read from a file.
     * @param s the split.
     * @return the dataset of that split.
     */
    public static MutableDataset<ItemId> dataset(Interactions interactions, Split s) {
        return new InteractionDataSource(interactions, s).toDataset();
    }

}
