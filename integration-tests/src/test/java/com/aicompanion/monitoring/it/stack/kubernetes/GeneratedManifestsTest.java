package com.aicompanion.monitoring.it.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule, the dashboard ConfigMaps and the Alertmanager Secret template are generated
 * from the one-machine stack's files: this fails when a committed copy differs from what {@link
 * KubernetesManifests} makes, and with {@code -Dkubernetes.manifests.write=true} rewrites it.
 */
class GeneratedManifestsTest {
  @Test
  void everyGeneratedManifestEqualsWhatTheGeneratorMakesFromItsSource() throws IOException {
    Map<String, String> expected = KubernetesManifests.generate(Manifests.stack());
    for (Map.Entry<String, String> file : expected.entrySet()) {
      Path path = Manifests.dir().resolve(file.getKey());
      String current = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
      if (!current.equals(file.getValue()) && Boolean.getBoolean("kubernetes.manifests.write")) {
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        current = file.getValue();
      }
      assertThat(current)
          .as(
              "stack/kubernetes/%s is stale: regenerate it with ./mvnw -B -o -q -pl"
                  + " integration-tests -am verify -Dtest=GeneratedManifestsTest"
                  + " -Dkubernetes.manifests.write=true -Dsurefire.failIfNoSpecifiedTests=false",
              file.getKey())
          .isEqualTo(file.getValue());
    }
  }
}
