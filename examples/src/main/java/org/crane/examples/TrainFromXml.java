package org.crane.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.crane.InteractionDataSource;
import org.crane.data.DemoDataset;
import org.crane.data.InteractionReader;
import org.crane.data.Interactions;
import org.crane.data.Split;
import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;

import java.nio.file.Path;

/** Load the OLCUT configuration config-xml/.../demo.xml, point it at generated demo data, and train. */
public final class TrainFromXml {
    private TrainFromXml() {
    }

    /**
     * @param maxEpochs override of the file's epoch budget (recorded in the provenance like any field).
     * @return the trained model.
     * @throws Exception on failure.
     */
    public static CraneModel run(int maxEpochs) throws Exception {
        try (DemoFolder demo = DemoFolder.create("crane-example-xml")) {
            Path dir = demo.dir();
            ConfigurationManager cm = new ConfigurationManager("/crane/demo.xml");
            cm.setGlobalProperty("data", dir.toString());
            cm.overrideConfigurableProperty("trainer", "maxEpochs",
                    new com.oracle.labs.mlrg.olcut.config.property.SimpleProperty(Integer.toString(maxEpochs)));
            CraneTrainer trainer = (CraneTrainer) cm.lookup("trainer");
            Interactions in = InteractionReader.read(dir.resolve(DemoDataset.INTER_FILE));
            CraneModel model = trainer.train(InteractionDataSource.dataset(in, Split.TRAIN), InteractionDataSource.dataset(in, Split.VALID));
            System.out.println("trained " + trainer + ", best epoch " + model.getBestEpoch());
            return model;
        }
    }

    /**
     * @param args optional: maximum epochs (default 20).
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 20);
    }
}
