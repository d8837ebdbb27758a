package org.crane.cli;

import org.crane.train.CraneModel;
import org.crane.train.CraneTrainer;
import org.crane.train.DemoFixture;
import org.crane.train.ModelFiles;

import java.nio.file.Path;

/**
 * Child-JVM program for the kill-during-save test: trains a small model, saves it once, prints
 * "saved", then saves it again and again to the same file until it is killed.
 */
public final class SaveLoop {
    private SaveLoop() {
    }

    /**
     * @param args the model file.
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        DemoFixture demo = DemoFixture.get();
        CraneModel model = new CraneTrainer.Builder().embeddingSize(256).maxEpochs(1).build().train(demo.train, (org.tribuo.Dataset<org.crane.ItemId>) null);
        ModelFiles.save(model, file);
        System.out.println("saved");
        System.out.flush();
        while (true) {
            ModelFiles.save(model, file);
        }
    }
}
