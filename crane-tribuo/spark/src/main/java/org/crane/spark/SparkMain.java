package org.crane.spark;

import org.crane.cli.CraneCli;

/**
 * The {@code crane} command with the Spark module's commands added ({@code spark-recommend}); the
 * launcher runs it, with Spark on the class path, for those commands only.
 */
public final class SparkMain {
    private SparkMain() {
    }

    /**
     * Entry point.
     * @param args the arguments.
     */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:org/crane/spark/log4j2-crane.properties");
        }
        CraneCli.launch(args, new SparkRecommendCommand());
    }
}
