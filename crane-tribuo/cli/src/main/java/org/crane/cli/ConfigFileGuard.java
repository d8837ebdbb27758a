package org.crane.cli;

import org.crane.data.Excerpt;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an OLCUT XML configuration before OLCUT reads it, since configurations are often written by
 * others: at most {@link #MAX_BYTES}; no DOCTYPE (so no entity can read a local file, fetch a URL or
 * expand without bound); well-formed; and every component's type in this project's packages, so a
 * file cannot make the tool instantiate an arbitrary class from the class path.
 */
final class ConfigFileGuard {
    /** Larger than any configuration this project ships by two orders of magnitude. */
    static final long MAX_BYTES = 1 << 20;
    private static final String ALLOWED_PREFIX = "org.crane.";
    /** The elements of an OLCUT configuration that only configure: no includes, no deserialisation, no remote objects. */
    static final java.util.List<String> ELEMENTS = java.util.List.of("config", "property", "component", "propertylist", "propertymap", "item", "entry");
    /** Their attributes (not OLCUT's export, leasetime or location). */
    static final java.util.List<String> ATTRIBUTES = java.util.List.of("name", "type", "value", "key", "inherit");

    private ConfigFileGuard() {
    }

    /** Looks the class up without initialising it (no static code of a named class runs here). */
    private static boolean isComponentType(String type) {
        try {
            Class<?> k = Class.forName(type, false, ConfigFileGuard.class.getClassLoader());
            return com.oracle.labs.mlrg.olcut.config.Configurable.class.isAssignableFrom(k) && !k.isInterface()
                    && !java.lang.reflect.Modifier.isAbstract(k.getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param file the configuration.
     * @throws IllegalArgumentException naming the file and the problem, quoting at most a short part of it.
     * @throws IOException when it cannot be read.
     */
    static void check(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": configuration file of " + size + " bytes; the limit is " + MAX_BYTES);
        }
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(file.toFile());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No secure XML parser available", e);
        } catch (java.io.CharConversionException | java.io.UnsupportedEncodingException e) {
            throw new IllegalArgumentException(file + ": not well-formed XML (bad or unsupported encoding: " + Excerpt.of(String.valueOf(e.getMessage())) + ")");
        } catch (org.xml.sax.SAXException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("DOCTYPE")) {
                throw new IllegalArgumentException(file + ": DOCTYPE declarations are not allowed in configuration files "
                        + "(entities can read local files or fetch URLs)");
            }
            throw new IllegalArgumentException(file + ": not well-formed XML (" + Excerpt.of(msg) + ")");
        }
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String tag = e.getTagName();
            if (!ELEMENTS.contains(tag)) {
                throw new IllegalArgumentException(file + ": element <" + Excerpt.of(tag) + "> is not allowed in configuration files (allowed: "
                        + String.join(", ", ELEMENTS) + "; OLCUT's file, serialized, import and export elements read other files, "
                        + "deserialise objects or open network services)");
            }
            org.w3c.dom.NamedNodeMap attributes = e.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String attribute = attributes.item(a).getNodeName();
                if (!ATTRIBUTES.contains(attribute)) {
                    throw new IllegalArgumentException(file + ": attribute '" + Excerpt.of(attribute) + "' of <" + tag
                            + "> is not allowed in configuration files (allowed: " + String.join(", ", ATTRIBUTES) + ")");
                }
            }
        }
        NodeList components = doc.getElementsByTagName("component");
        for (int i = 0; i < components.getLength(); i++) {
            Element c = (Element) components.item(i);
            String type = c.getAttribute("type");
            if (!type.startsWith(ALLOWED_PREFIX)) {
                throw new IllegalArgumentException(file + ": component '" + Excerpt.of(c.getAttribute("name")) + "' has type '"
                        + Excerpt.of(type) + "'; configuration files may only name this project's components (" + ALLOWED_PREFIX + "*)");
            }
            if (TrainerFactory.TRAINER.equals(c.getAttribute("name")) && !type.equals(org.crane.train.CraneTrainer.class.getName())) {
                throw new IllegalArgumentException(file + ": component '" + TrainerFactory.TRAINER + "' has type '" + Excerpt.of(type)
                        + "'; it must be " + org.crane.train.CraneTrainer.class.getName());
            }
            if (!isComponentType(type)) {
                throw new IllegalArgumentException(file + ": component '" + Excerpt.of(c.getAttribute("name")) + "' has type '"
                        + Excerpt.of(type) + "', which is not one of this project's configurable components");
            }
        }
    }
}
