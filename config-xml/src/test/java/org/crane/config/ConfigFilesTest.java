package org.crane.config;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.crane.data.FeatureMatrix;
import org.crane.data.ItemFeatureSource;
import org.crane.data.NpyWriter;
import org.crane.train.CraneTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped OLCUT file loads and builds its trainer with the values it sets (data paths pointed at small stand-in files). */
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
            if (cm.getComponentNames().contains("space")) {
                // a search space for crane tune: it names trainer fields and defines points
                org.crane.tune.SpaceConfig space = (org.crane.tune.SpaceConfig) cm.lookup("space");
                assertFalse(space.points().isEmpty(), f + " defines no point");
                continue;
            }
            CraneTrainer t = (CraneTrainer) cm.lookup("trainer");
            assertValuesArrive(f, t);
        }
    }

    /** Every property the file sets on the trainer is the value the built trainer holds (read back by reflection). */
    private static void assertValuesArrive(Path file, CraneTrainer t) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        NodeList components = doc.getElementsByTagName("component");
        int checked = 0;
        for (int c = 0; c < components.getLength(); c++) {
            Element comp = (Element) components.item(c);
            if (!comp.getAttribute("name").equals("trainer")) {
                continue;
            }
            NodeList props = comp.getChildNodes();
            for (int q = 0; q < props.getLength(); q++) {
                if (!(props.item(q) instanceof Element e)) {
                    continue;
                }
                String name = e.getAttribute("name");
                Object actual = field(t, name);
                if (e.getTagName().equals("propertylist")) {
                    NodeList items = e.getElementsByTagName("item");
                    List<String> want = new ArrayList<>();
                    for (int k = 0; k < items.getLength(); k++) {
                        want.add(items.item(k).getTextContent().trim());
                    }
                    assertEquals(want, actual, file.getFileName() + ": " + name);
                } else if (name.equals("itemFeatures")) {
                    assertTrue(actual instanceof ItemFeatureSource, file.getFileName() + ": itemFeatures is the named component");
                } else {
                    String want = e.getAttribute("value");
                    if (actual instanceof Float num) {
                        assertEquals(Float.parseFloat(want), num, file.getFileName() + ": " + name);
                    } else if (actual instanceof Number num) {
                        assertEquals(Double.parseDouble(want), num.doubleValue(), file.getFileName() + ": " + name);
                    } else {
                        assertEquals(want, String.valueOf(actual), file.getFileName() + ": " + name);
                    }
                }
                checked++;
            }
        }
        assertTrue(checked >= 3, file.getFileName() + " sets the trainer's fields (" + checked + " checked)");
    }

    private static Object field(CraneTrainer t, String name) {
        try {
            java.lang.reflect.Field f = CraneTrainer.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(t);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("CraneTrainer has no field " + name, e);
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
