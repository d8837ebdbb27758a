package org.crane.data;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Provenance of a configurable data component backed by files: its {@code @Config} fields plus
 * instance values that identify the bytes read (SHA-256 hashes, sizes, shapes). Instance keys start
 * with {@value #INSTANCE_PREFIX} so that unmarshalling can tell them from configured fields.
 * Creation times are deliberately not recorded: two loads of the same bytes have equal provenance.
 */
public final class DataFileProvenance extends SkeletalConfiguredObjectProvenance implements DataSourceProvenance {
    private static final long serialVersionUID = 1L;

    /** Prefix of every instance-value key. */
    public static final String INSTANCE_PREFIX = "data-";

    private final Map<String, PrimitiveProvenance<?>> instanceValues;

    /**
     * @param host the component.
     * @param hostType the short host type ("DataSource", "ItemFeatures").
     * @param instanceValues values identifying the data, each key starting with {@value #INSTANCE_PREFIX}.
     * @param <T> the host type.
     */
    public <T extends Configurable> DataFileProvenance(T host, String hostType, Map<String, PrimitiveProvenance<?>> instanceValues) {
        super(host, hostType);
        for (String k : instanceValues.keySet()) {
            if (!k.startsWith(INSTANCE_PREFIX)) {
                throw new IllegalArgumentException("Instance provenance key '" + k + "' must start with " + INSTANCE_PREFIX);
            }
        }
        this.instanceValues = new TreeMap<>(instanceValues);
    }

    /**
     * Unmarshalling constructor.
     * @param map the marshalled provenance.
     */
    public DataFileProvenance(Map<String, Provenance> map) {
        this(extract(map));
    }

    private DataFileProvenance(ExtractedInfo info) {
        super(info);
        this.instanceValues = new TreeMap<>(info.instanceValues);
    }

    private static ExtractedInfo extract(Map<String, Provenance> map) {
        Map<String, Provenance> configured = new HashMap<>(map);
        String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME, StringProvenance.class, DataFileProvenance.class.getSimpleName()).getValue();
        String hostType = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME, StringProvenance.class, DataFileProvenance.class.getSimpleName()).getValue();
        Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
        for (Map.Entry<String, Provenance> e : map.entrySet()) {
            if (e.getKey().startsWith(INSTANCE_PREFIX)) {
                if (!(e.getValue() instanceof PrimitiveProvenance)) {
                    throw new IllegalArgumentException("Provenance value '" + e.getKey() + "' is not primitive");
                }
                instance.put(e.getKey(), (PrimitiveProvenance<?>) e.getValue());
                configured.remove(e.getKey());
            }
        }
        return new ExtractedInfo(className, hostType, configured, instance);
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> m = super.getInstanceValues();
        m.putAll(instanceValues);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataFileProvenance && super.equals(o) && instanceValues.equals(((DataFileProvenance) o).instanceValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), instanceValues);
    }
}
