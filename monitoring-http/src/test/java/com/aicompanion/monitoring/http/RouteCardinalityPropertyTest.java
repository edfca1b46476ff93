package com.aicompanion.monitoring.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.Monitor;
import com.aicompanion.monitoring.http.internal.UriFolding;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever paths arrive, the {@code uri} label takes a bounded set of values: routes from the
 * templates, the unmatched names, and at most the cardinality limit of folded client paths.
 */
class RouteCardinalityPropertyTest {
  private static final int LIMIT = 25;
  private static final RouteResolver ROUTES =
      RouteResolver.templates("/chat", "/conversations/{id}", "/files/{path...}");

  @Provide
  Arbitrary<List<String>> paths() {
    Arbitrary<String> words =
        Arbitraries.strings().alpha().numeric().withChars("-_.%~").ofMinLength(0).ofMaxLength(40);
    Arbitrary<String> known = Arbitraries.of("chat", "conversations", "files", "v1", "items");
    Arbitrary<String> numbers =
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(n -> Long.toString(n));
    Arbitrary<String> segment = Arbitraries.oneOf(List.of(words, known, numbers));
    Arbitrary<String> path =
        segment.list().ofMinSize(0).ofMaxSize(8).map(s -> "/" + String.join("/", s));
    return path.list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 60)
  void theUriLabelsOfServerAndClientStayBounded(@ForAll("paths") List<String> paths) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      Monitor monitor =
          Monitor.create(registry, LIMIT, com.aicompanion.monitoring.LlmPrices.defaults());
      int i = 0;
      for (String path : paths) {
        int status = i++ % 3 == 0 ? 404 : 200;
        monitor.http().record("GET", ROUTES.route(path), status, null, 1, TimeUnit.MILLISECONDS);
        monitor
            .httpClient()
            .record(
                "GET",
                UriFolding.template(path),
                "api.example.com",
                status,
                null,
                1,
                TimeUnit.MILLISECONDS);
      }

      Set<String> serverUris = uris(registry, "http.server.requests");
      assertThat(serverUris)
          .isSubsetOf(
              "/chat", "/conversations/{id}", "/files/{path...}", "NOT_FOUND", "UNKNOWN", "OTHER");
      Set<String> clientUris = uris(registry, "http.client.requests");
      assertThat(clientUris.size()).isLessThanOrEqualTo(LIMIT + 1);
      assertThat(registry.find("http.client.requests").meters().size())
          .isLessThanOrEqualTo(LIMIT + 1);
      // a folded template never carries a long run of digits
      assertThat(clientUris).noneMatch(u -> u.matches(".*/[0-9]+(/.*)?"));
    } finally {
      registry.close();
    }
  }

  private static Set<String> uris(PrometheusMeterRegistry registry, String name) {
    return registry.find(name).meters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag("uri"))
        .collect(Collectors.toSet());
  }
}
