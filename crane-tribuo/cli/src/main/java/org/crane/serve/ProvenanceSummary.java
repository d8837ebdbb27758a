package org.crane.serve;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.crane.train.CraneModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** A model's provenance as JSON-ready maps (OLCUT's own conversion): the trainer's fields, the run's values and the data's. */
final class ProvenanceSummary {
    private ProvenanceSummary() {
    }

    static Map<String, Object> of(CraneModel model) {
        Map<String, Object> all = ProvenanceUtil.convertToMap(model.getProvenance());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", all.get("class-name"));
        m.put("trained", all.get("trained-at"));
        m.put("users", model.numUsers());
        m.put("items", model.numItems());
        m.put("best_epoch", model.getBestEpoch());
        m.put("trainer", all.get("trainer"));
        m.put("run", all.get("instance-values"));
        m.put("dataset", all.get("dataset"));
        return m;
    }
}
