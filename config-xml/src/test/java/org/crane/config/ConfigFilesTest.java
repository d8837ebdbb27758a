package org.crane.config;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.crane.data.FeatureMatrix;
import org.crane.data.NpyWriter;
import org.crane.train.CraneTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every shipped OLCUT file loads and builds its trainer (data paths pointed at small stand-in files). */
class ConfigFilesTest {
    @TempDir
    Path dir;

    @Test
    void everyShippedConfigurationInstantiates() throws IOException, URISyntaxException {
        Path root = Path.of(ConfigFilesTest.class.getResource("/crane").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(root)) {
            files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        Pattern npy = Pattern.compile("\\$\\{data}/([A-Za-z0-9_.-]+\\.npy(\\.gz)?)");
        for (Path f : files) {
            Matcher m = npy.matcher(Files.readString(f));
            while (m.find()) {
                Path stand = dir.resolve(m.group(1));
                if (!Files.exists(stand)) {
                    Path plain = dir.resolve("plain.npy");
                    NpyWriter.write(new FeatureMatrix("x", 4, 3, new float[12]), plain);
                    if (stand.toString().endsWith(".gz")) {
                        try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(stand))) {
                            o.write(Files.readAllBytes(plain));
                        }
                    } else {
                        Files.copy(plain, stand);
                    }
                }
            }
            ConfigurationManager cm = new ConfigurationManager(f.toString());
            cm.setGlobalProperty("data", dir.toString());
            CraneTrainer t = (CraneTrainer) cm.lookup("trainer");
            assertNotNull(t.networkConfig(), f.toString());
        }
    }

    @Test
    void aTypoInAPropertyNameIsAClearErrorNamingTheFieldAndFile() throws IOException {
        Path bad = Files.writeString(dir.resolve("typo.xml"), "<?xml version=\"1.0\"?>\n<config>\n"
                + " <component name=\"trainer\" type=\"org.crane.train.CraneTrainer\">\n"
                + "  <property name=\"learningRat\" value=\"0.1\"/>\n </component>\n</config>\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new ConfigurationManager(bad.toString()).lookup("trainer"));
        String msg = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("learningRat"), msg);
    }
}
