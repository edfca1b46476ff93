package com.aicompanion.monitoring.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Which artifacts a deploy publishes: the library modules that monitoring-bom lists, the BOM and
 * the two parent poms they need; every other module of the reactor sets {@code maven.deploy.skip}.
 */
class PublishedModulesTest {
  private static final List<String> PARENTS_AND_BOM =
      List.of("monitoring-build-parent", "monitoring-parent", "monitoring-bom");

  @Test
  void onlyTheBomsModulesTheBomAndTheParentsAreDeployed() {
    Map<String, Boolean> deployed = new TreeMap<>();
    Document root = Reactor.read(Reactor.root().resolve("pom.xml"));
    deployed.put(Reactor.text(root.getDocumentElement(), "artifactId"), deploys(root));
    for (String module : Reactor.modules()) {
      Document pom = Reactor.read(Reactor.root().resolve(module).resolve("pom.xml"));
      deployed.put(Reactor.text(pom.getDocumentElement(), "artifactId"), deploys(pom));
    }

    List<String> published = Reactor.bomArtifacts();
    assertThat(deployed).containsKeys(published.toArray(String[]::new));
    assertThat(deployed)
        .allSatisfy(
            (artifact, deploys) ->
                assertThat(deploys)
                    .as("%s is deployed", artifact)
                    .isEqualTo(published.contains(artifact) || PARENTS_AND_BOM.contains(artifact)));
    assertThat(deployed)
        .containsEntry("test-support", false)
        .containsEntry("test-support-otlp", false);
  }

  private static boolean deploys(Document pom) {
    return !"true".equals(Reactor.property(pom, "maven.deploy.skip"));
  }
}
