package com.aicompanion.monitoring.artifacts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** This repository's poms, read as a user's build would: module list, BOM entries, properties. */
final class Reactor {
  static final String GROUP = "com.aicompanion.monitoring";

  private Reactor() {}

  /** The repository root, passed by surefire as {@code project.root}. */
  static Path root() {
    String root = System.getProperty("project.root");
    if (root == null) {
      throw new IllegalStateException("project.root is not set; run through Maven (surefire)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Document read(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
    }
  }

  /** The module directories of the root pom, relative to the root. */
  static List<String> modules() {
    List<String> modules = new ArrayList<>();
    for (Element m :
        children(
            child(read(root().resolve("pom.xml")).getDocumentElement(), "modules"), "module")) {
      modules.add(m.getTextContent().trim());
    }
    return modules;
  }

  /** The artifacts monitoring-bom manages: the published library modules. */
  static List<String> bomArtifacts() {
    return managedArtifacts(read(root().resolve("monitoring-bom/pom.xml")));
  }

  /** {@code groupId:artifactId} of every entry of a pom's dependencyManagement. */
  static List<String> managedEntries(Document pom) {
    List<String> entries = new ArrayList<>();
    Element dm = child(pom.getDocumentElement(), "dependencyManagement");
    if (dm == null) {
      return entries;
    }
    for (Element d : children(child(dm, "dependencies"), "dependency")) {
      entries.add(text(d, "groupId") + ":" + text(d, "artifactId"));
    }
    return entries;
  }

  private static List<String> managedArtifacts(Document pom) {
    return managedEntries(pom).stream().map(e -> e.substring(e.indexOf(':') + 1)).toList();
  }

  /** A property declared in the pom's own {@code <properties>}, or null. */
  static String property(Document pom, String name) {
    Element props = child(pom.getDocumentElement(), "properties");
    Element p = props == null ? null : child(props, name);
    return p == null ? null : p.getTextContent().trim();
  }

  static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }
}
