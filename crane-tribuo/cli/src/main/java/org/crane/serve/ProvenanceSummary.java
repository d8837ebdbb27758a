package org.crane.serve;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.crane.train.CraneModel;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's provenance as plain JSON-ready maps: the trainer's fields, the run's values and the data's summary. */
final class ProvenanceSummary {
    private static final int MAX_DEPTH = 6;

    private ProvenanceSummary() {
    }

    static Map<String, Object> of(CraneModel model) {
        ModelProvenance p = model.getProvenance();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", p.getClassName());
        m.put("trained", p.getTrainingTime().toString());
        m.put("users", model.numUsers());
        m.put("items", model.numItems());
        m.put("best_epoch", model.getBestEpoch());
        m.put("trainer", convert(p.getTrainerProvenance(), 0));
        m.put("run", convert(p.getInstanceProvenance(), 0));
        m.put("dataset", convert(p.getDatasetProvenance(), 0));
        return m;
    }

    private static Object convert(Provenance p, int depth) {
        if (p == null) {
            return null;
        }
        if (depth > MAX_DEPTH) {
            return "...";
        }
        if (p instanceof PrimitiveProvenance<?> pp) {
            Object v = pp.getValue();
            return v instanceof Number || v instanceof Boolean ? v : String.valueOf(v);
        }
        if (p instanceof ListProvenance<?> lp) {
            List<Object> l = new ArrayList<>();
            for (Provenance x : lp.getList()) {
                l.add(convert(x, depth + 1));
            }
            return l;
        }
        if (p instanceof MapProvenance<?> mp) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Pair<String, ? extends Provenance> e : mp) {
                m.put(e.getA(), convert(e.getB(), depth + 1));
            }
            return m;
        }
        if (p instanceof ObjectProvenance op) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Pair<String, Provenance> e : op) {
                m.put(e.getA(), convert(e.getB(), depth + 1));
            }
            return m;
        }
        return String.valueOf(p);
    }
}
