package com.aicompanion.monitoring.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What a user's build gets from our published artifacts. The test installs the BOM and the library
 * modules (with the Maven wrapper, offline) into a local repository of its own, whose read-only
 * tail is the build's local repository, then builds small consumer projects against it with {@code
 * dependency:tree}. Maven must run here: a failure to run it fails the test.
 */
class ConsumerProjectTest {
  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** A version no real release has: a library in the consumer's project asks for it. */
  private static final String LEGACY = "0.0.1-consumer-test";

  /** Third-party artifacts our parent pom manages (directly or through an imported BOM). */
  private static final List<String> PINNED_BY_OUR_PARENT =
      List.of(
          "com.fasterxml.jackson.core:jackson-databind",
          "org.junit.jupiter:junit-jupiter-api",
          "com.github.ben-manes.caffeine:caffeine",
          "redis.clients:jedis",
          "com.h2database:h2",
          "io.grpc:grpc-api",
          "org.eclipse.jetty:jetty-server",
          "com.zaxxer:HikariCP",
          "org.postgresql:postgresql",
          "io.sentry:sentry");

  @TempDir static Path work;
  private static Path repo;
  private static Map<String, String> trees;

  @BeforeAll
  static void installAndBuildConsumers() throws Exception {
    repo = work.resolve("repository");
    Path root = Reactor.root();
    List<String> published = Reactor.bomArtifacts();
    maven(
        root,
        "install",
        "-Dmaven.test.skip=true",
        "-Dspotless.check.skip=true",
        "-pl",
        "monitoring-bom," + String.join(",", published),
        "-am");

    writeLegacyLibrary();
    Path consumers = work.resolve("consumers");
    Map<String, String> modules = new TreeMap<>();
    modules.put("bom-core", consumer("bom-core", true, dep("monitoring-core", null)));
    modules.put("plain-core", consumer("plain-core", false, dep("monitoring-core", VERSION)));
    modules.put("bom-logging", consumer("bom-logging", true, dep("monitoring-logging", null)));
    modules.put(
        "plain-logging", consumer("plain-logging", false, dep("monitoring-logging", VERSION)));
    modules.put(
        "bom-core-legacy",
        consumer(
            "bom-core-legacy",
            true,
            dep("monitoring-core", null)
                + "<dependency><groupId>org.example.consumer</groupId>"
                + "<artifactId>legacy-lib</artifactId><version>1.0</version></dependency>"));
    for (Map.Entry<String, String> m : modules.entrySet()) {
      Files.createDirectories(consumers.resolve(m.getKey()));
      Files.writeString(consumers.resolve(m.getKey()).resolve("pom.xml"), m.getValue());
    }
    StringBuilder aggregator = new StringBuilder(pomHead("consumers", "pom")).append("<modules>");
    modules.keySet().forEach(m -> aggregator.append("<module>").append(m).append("</module>"));
    Files.writeString(
        consumers.resolve("pom.xml"), aggregator.append("</modules></project>").toString());

    maven(
        consumers,
        "org.apache.maven.plugins:maven-dependency-plugin:"
            + System.getProperty("dependency.plugin.version")
            + ":tree",
        "-DoutputFile=tree.txt");
    trees = new TreeMap<>();
    for (String m : modules.keySet()) {
      List<String> lines = Files.readAllLines(consumers.resolve(m).resolve("tree.txt"));
      // the first line is the consumer project itself
      trees.put(m, String.join("\n", lines.subList(1, lines.size())));
    }
  }

  @Test
  void theInstalledBomManagesThePublishedModulesAndNothingElse() {
    Path bom = artifact(Reactor.GROUP, "monitoring-bom", VERSION, "pom");
    Document pom = Reactor.read(bom);

    assertThat(Reactor.managedEntries(pom))
        .containsExactlyInAnyOrderElementsOf(
            Reactor.bomArtifacts().stream().map(a -> Reactor.GROUP + ":" + a).toList());
    Element managed = Reactor.child(pom.getDocumentElement(), "dependencyManagement");
    assertThat(Reactor.children(Reactor.child(managed, "dependencies"), "dependency"))
        .as("imported BOMs")
        .noneSatisfy(d -> assertThat(Reactor.text(d, "scope")).isEqualTo("import"));
    List<String> parents = new ArrayList<>();
    for (Document p = parentOf(pom); p != null; p = parentOf(p)) {
      String id = Reactor.text(p.getDocumentElement(), "artifactId");
      parents.add(id);
      assertThat(Reactor.child(p.getDocumentElement(), "dependencyManagement"))
          .as("dependencyManagement inherited by the BOM from " + id)
          .isNull();
    }
    assertThat(parents).containsExactly("monitoring-build-parent");
  }

  @Test
  void aLibraryInTheConsumersProjectKeepsTheThirdPartyVersionsItAsksFor() {
    String tree = trees.get("bom-core-legacy");

    assertThat(PINNED_BY_OUR_PARENT)
        .allSatisfy(
            ga ->
                assertThat(tree)
                    .as("%s as legacy-lib asks for it, not as our parent pins it", ga)
                    .containsPattern(
                        "(?m)^[|+\\\\ -]*"
                            + java.util.regex.Pattern.quote(ga + ":jar:" + LEGACY + ":compile")
                            + "$"));
    assertThat(tree).doesNotContain("managed from");
  }

  @Test
  void importingTheBomResolvesExactlyWhatTheModuleAloneResolves() {
    assertThat(trees.get("bom-core")).isEqualTo(trees.get("plain-core"));
    assertThat(trees.get("bom-logging")).isEqualTo(trees.get("plain-logging"));
    assertThat(trees.get("bom-core"))
        .contains(Reactor.GROUP + ":monitoring-core:jar:" + VERSION + ":compile")
        .contains("io.micrometer:micrometer-core");
  }

  @Test
  void loggingBringsNoSentryAndNoTestLibraries() {
    assertThat(trees.get("bom-logging"))
        .contains(Reactor.GROUP + ":monitoring-logging:jar:" + VERSION + ":compile")
        .doesNotContain("io.sentry")
        .doesNotContain("junit")
        .doesNotContain("assertj")
        .doesNotContain("test-support")
        .doesNotContain(":test");
  }

  @Test
  void theInstalledJarsAreNamedModulesWithoutSplitPackages() {
    Map<String, String> names = new TreeMap<>();
    List<Path> jars = new ArrayList<>();
    for (String a : Reactor.bomArtifacts()) {
      Path jar = artifact(Reactor.GROUP, a, VERSION, "jar");
      jars.add(jar);
      Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
      assertThat(found).as(a).hasSize(1);
      names.put(a, found.iterator().next().descriptor().name());
    }

    assertThat(names)
        .containsEntry("monitoring-core", "com.aicompanion.monitoring.core")
        .containsEntry("monitoring-logging", "com.aicompanion.monitoring.logging")
        .containsEntry("monitoring-tracing", "com.aicompanion.monitoring.tracing")
        .containsEntry("monitoring-health", "com.aicompanion.monitoring.health")
        .containsEntry("monitoring-langchain4j", "com.aicompanion.monitoring.langchain4j")
        .containsEntry("monitoring-jdbc", "com.aicompanion.monitoring.jdbc")
        .containsEntry("monitoring-otlp-metrics", "com.aicompanion.monitoring.otlp")
        .containsEntry("monitoring-http", "com.aicompanion.monitoring.http");
    // resolving them together fails on a package found in two of them
    Configuration resolved =
        ModuleLayer.boot()
            .configuration()
            .resolve(ModuleFinder.of(jars.toArray(Path[]::new)), ModuleFinder.of(), names.values());
    assertThat(resolved.modules()).hasSize(names.size());
  }

  private static Path artifact(String group, String artifact, String version, String ext) {
    Path file =
        repo.resolve(group.replace('.', '/'))
            .resolve(artifact)
            .resolve(version)
            .resolve(artifact + "-" + version + "." + ext);
    assertThat(file).as("installed " + artifact).exists();
    return file;
  }

  private static Document parentOf(Document pom) {
    Element parent = Reactor.child(pom.getDocumentElement(), "parent");
    if (parent == null) {
      return null;
    }
    return Reactor.read(
        artifact(
            Reactor.text(parent, "groupId"),
            Reactor.text(parent, "artifactId"),
            Reactor.text(parent, "version"),
            "pom"));
  }

  /**
   * legacy-lib 1.0 depends on {@link #PINNED_BY_OUR_PARENT} at {@link #LEGACY}; only their poms
   * exist, which is all {@code dependency:tree} reads.
   */
  private static void writeLegacyLibrary() throws IOException {
    StringBuilder deps = new StringBuilder();
    for (String ga : PINNED_BY_OUR_PARENT) {
      String[] p = ga.split(":");
      writePom(p[0], p[1], LEGACY, "");
      deps.append("<dependency><groupId>")
          .append(p[0])
          .append("</groupId><artifactId>")
          .append(p[1])
          .append("</artifactId><version>")
          .append(LEGACY)
          .append("</version></dependency>");
    }
    writePom("org.example.consumer", "legacy-lib", "1.0", deps.toString());
  }

  private static void writePom(String group, String artifact, String version, String deps)
      throws IOException {
    Path dir = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(artifact + "-" + version + ".pom"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>"
            + group
            + "</groupId><artifactId>"
            + artifact
            + "</artifactId><version>"
            + version
            + "</version><dependencies>"
            + deps
            + "</dependencies></project>");
  }

  private static String consumer(String name, boolean importBom, String dependencies) {
    String bom =
        importBom
            ? "<dependencyManagement><dependencies>"
                + "<dependency><groupId>"
                + Reactor.GROUP
                + "</groupId><artifactId>monitoring-bom</artifactId><version>"
                + VERSION
                + "</version><type>pom</type><scope>import</scope></dependency>"
                + "</dependencies></dependencyManagement>"
            : "";
    return pomHead(name, "jar")
        + bom
        + "<dependencies>"
        + dependencies
        + "</dependencies></project>";
  }

  private static String dep(String artifact, String version) {
    return "<dependency><groupId>"
        + Reactor.GROUP
        + "</groupId><artifactId>"
        + artifact
        + "</artifactId>"
        + (version == null ? "" : "<version>" + version + "</version>")
        + "</dependency>";
  }

  private static String pomHead(String artifact, String packaging) {
    return "<project><modelVersion>4.0.0</modelVersion><groupId>com.example.consumer</groupId>"
        + "<artifactId>"
        + artifact
        + "</artifactId><version>1.0</version><packaging>"
        + packaging
        + "</packaging>";
  }

  /** Runs the project's Maven wrapper offline against the test's repository; fails on failure. */
  private static void maven(Path dir, String... args) throws Exception {
    Path root = Reactor.root();
    Path wrapper = root.resolve(isWindows() ? "mvnw.cmd" : "mvnw");
    String tail = System.getProperty("outer.repo.local");
    assertThat(tail)
        .as("outer.repo.local (set by artifact-tests' surefire configuration)")
        .isNotBlank();
    List<String> command = new ArrayList<>();
    command.add(wrapper.toString());
    command.addAll(
        List.of("-B", "-q", "-o", "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + tail));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, "maven", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended && process.exitValue() == 0)
        .as(
            "Maven %s in %s ended %s:%n%s",
            command, dir, ended ? "with " + process.exitValue() : "only after 5 minutes", output)
        .isTrue();
  }

  private static boolean isWindows() {
    return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  }
}
