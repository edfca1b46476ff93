package com.aicompanion.monitoring.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringConfig;
import com.aicompanion.monitoring.MonitoringModule;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole configuration surface has one source: the keys core and the modules declare. The key
 * tables of docs/configuration.md are generated from the declarations (this test fails when they
 * are stale; run it with {@code -Dconfig.docs.write=true} to rewrite them), and every {@link
 * ConfigKey} constant a module's code holds is one it declares.
 */
class ConfigurationSurfaceTest {
  private static final String BEGIN = "<!-- generated from the modules' ConfigKey declarations -->";
  private static final String END = "<!-- end of generated key tables -->";
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  /** Artifact -> the keys it declares, core first, then the modules in start order. */
  static Map<String, List<ConfigKey<?>>> declared() {
    Map<String, List<ConfigKey<?>>> keys = new LinkedHashMap<>();
    keys.put("monitoring-core", MonitoringConfig.CORE_KEYS);
    ServiceLoader.load(MonitoringModule.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(java.util.Comparator.comparingInt(MonitoringModule::order))
        .forEach(m -> keys.put("monitoring-" + m.name(), m.configKeys()));
    return keys;
  }

  static String render(Map<String, List<ConfigKey<?>>> keys) {
    StringBuilder md = new StringBuilder(BEGIN).append("\n");
    keys.forEach(
        (artifact, list) -> {
          md.append("\n### ").append(artifact).append("\n\n");
          md.append("| environment variable | system property | type | default | meaning |\n");
          md.append("|---|---|---|---|---|\n");
          for (ConfigKey<?> key : list) {
            md.append("| `")
                .append(key.envName())
                .append("` | `")
                .append(key.propertyName())
                .append("` | ")
                .append(key.type().replace("|", "\\|"))
                .append(key.unit() == null ? "" : " (" + key.unit() + ")")
                .append(key.isSecret() ? ", secret" : "")
                .append(" | ")
                .append(key.defaultText().isEmpty() ? "unset" : "`" + key.defaultText() + "`")
                .append(" | ")
                .append(key.description().replace("|", "\\|"))
                .append(" |\n");
          }
        });
    return md.append("\n").append(END).toString();
  }

  @Test
  void theDocsKeyTablesAreGeneratedFromTheDeclarations() throws IOException {
    String doc = Files.readString(DOC);
    String expected = render(declared());
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("docs/configuration.md has the generated section markers").isNotNegative();
    String current = doc.substring(begin, end + END.length());
    if (!current.equals(expected) && Boolean.getBoolean("config.docs.write")) {
      Files.writeString(
          DOC, doc.substring(0, begin) + expected + doc.substring(end + END.length()));
      current = expected;
    }
    assertThat(current)
        .as(
            "docs/configuration.md's key tables are stale: run ./mvnw -pl integration-tests verify"
                + " -Dtest=ConfigurationSurfaceTest -Dconfig.docs.write=true")
        .isEqualTo(expected);
  }

  @Test
  void everyKeyAModuleHoldsIsOneItDeclaresAndNamesAreUnique() throws Exception {
    Map<String, List<ConfigKey<?>>> declared = declared();
    Set<String> all = new TreeSet<>();
    List<String> duplicates = new ArrayList<>();
    declared
        .values()
        .forEach(
            list ->
                list.forEach(
                    k -> {
                      if (!all.add(k.name())) {
                        duplicates.add(k.name());
                      }
                    }));
    assertThat(duplicates).as("keys declared twice").isEmpty();
    Set<String> held = new TreeSet<>();
    List<Class<?>> anchors = new ArrayList<>();
    anchors.add(MonitoringConfig.class);
    ServiceLoader.load(MonitoringModule.class).forEach(m -> anchors.add(m.getClass()));
    for (Class<?> anchor : anchors) {
      for (Class<?> type : classesBeside(anchor)) {
        Field[] fields;
        try {
          fields = type.getDeclaredFields();
        } catch (LinkageError optionalDependencyMissing) {
          continue; // e.g. the Sentry bridge without Sentry: it holds no key
        }
        for (Field field : fields) {
          if (Modifier.isStatic(field.getModifiers())
              && ConfigKey.class.isAssignableFrom(field.getType())) {
            field.setAccessible(true);
            held.add(((ConfigKey<?>) field.get(null)).name());
          }
        }
      }
    }
    assertThat(held).as("ConfigKey constants in the modules' code").isNotEmpty();
    assertThat(all).as("declared keys").containsAll(held);
  }

  /** The classes in the same jar or classes folder as {@code anchor}, in its base package. */
  private static List<Class<?>> classesBeside(Class<?> anchor)
      throws IOException, URISyntaxException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        names =
            files
                .filter(p -> p.toString().endsWith(".class"))
                .map(p -> root.relativize(p).toString())
                .collect(Collectors.toList());
      }
    } else {
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.toFile())) {
        names =
            jar.stream()
                .map(java.util.jar.JarEntry::getName)
                .filter(n -> n.endsWith(".class"))
                .collect(Collectors.toList());
      }
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      String className = name.replace('/', '.').replace('\\', '.').replaceAll("\\.class$", "");
      if (className.startsWith("com.aicompanion.monitoring") && !className.contains("$")) {
        try {
          classes.add(Class.forName(className, false, anchor.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          // an optional dependency's class: it holds no key
        }
      }
    }
    return classes;
  }
}
