package org.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * This project is set up as README's "Add it to a Maven project" says, and what that gives works on the class path and
 * the module path.
 */
class MavenSectionTest {
    private static final String KASANE = "dev.kasane";

    @Test
    void thisPomHoldsReadmesBlock() throws Exception {
        String readme = System.getProperty("kasane.readme");
        assertNotNull(readme, "system property kasane.readme (the path of Kasane's README.md) is not set");
        Element block = readmeBlock(Path.of(readme));
        Element pom = parse(Files.readString(Path.of("pom.xml")));

        assertEquals(dependencies(block, "dependencyManagement"), dependencies(pom, "dependencyManagement"),
                "README's dependencyManagement vs this pom's");
        List<String> ours = dependencies(pom, "dependencies");
        ours.removeIf(d -> d.endsWith(":test"));
        assertEquals(dependencies(block, "dependencies"), ours, "README's dependencies vs this pom's, but for tests");
    }

    @Test
    void everyKasaneJarIsANamedModule() {
        Map<String, Path> jars = new TreeMap<>();     // artifactId -> jar, from the class path
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && jar.toString().contains(File.separator + "dev" + File.separator + "kasane" + File.separator)) {
                jars.put(jar.getParent().getParent().getFileName().toString(), jar);
            }
        }
        assertEquals(Set.of("backend-cpu", "core-autograd", "core-tensor", "models-zoo", "nn-layers"), jars.keySet(),
                "the Kasane jars that README's dependencies bring");

        Set<String> names = new TreeSet<>();
        for (Path jar : jars.values()) {
            ModuleReference module = ModuleFinder.of(jar).findAll().iterator().next();
            String name = module.descriptor().name();
            assertEquals(name, manifestModuleName(jar), jar + ": the module name is its manifest's");
            assertTrue(name.startsWith(KASANE + "."), jar + ": module " + name);
            names.add(name);
        }
        // together on the module path (distinct names, no package in two of them), as one layer
        Configuration cf = ModuleLayer.boot().configuration().resolve(
                ModuleFinder.of(jars.values().toArray(Path[]::new)), ModuleFinder.of(), names);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        assertEquals(names, layer.modules().stream().map(Module::getName).collect(Collectors.toCollection(TreeSet::new)));
    }

    private static String manifestModuleName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(jar.toString(), e);
        }
    }

    /** README's {@code ```xml} block that imports the BOM, as the children of one element. */
    private static Element readmeBlock(Path readme) throws Exception {
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null && line.strip().equals("```xml")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                if (block.indexOf("kasane-bom") >= 0) {
                    return parse("<project>" + block + "</project>");
                }
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        throw new AssertionError(readme + " has no ```xml block that imports kasane-bom");
    }

    private static Element parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    /** The dependencies under {@code project/<section>}, as groupId:artifactId:version:type:scope. */
    private static List<String> dependencies(Element project, String section) {
        List<String> out = new ArrayList<>();
        for (Element s : children(project, section)) {
            Element list = section.equals("dependencies") ? s : children(s, "dependencies").get(0);
            for (Element d : children(list, "dependency")) {
                out.add(String.join(":", text(d, "groupId"), text(d, "artifactId"), text(d, "version"),
                        text(d, "type"), text(d, "scope")));
            }
        }
        return out;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }
}
