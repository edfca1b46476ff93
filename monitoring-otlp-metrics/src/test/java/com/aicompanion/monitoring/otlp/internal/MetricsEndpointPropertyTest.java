package com.aicompanion.monitoring.otlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For every http(s) URL: an empty or "/" path becomes exactly {@code /v1/metrics} with scheme,
 * authority and query kept; any other path leaves the URL unchanged.
 */
class MetricsEndpointPropertyTest {

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of("collector", "127.0.0.1", "[::1]", "otel.example.com", "user:pw@gw");
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.of("", "?tenant=a", "?a=1&b=%20x");
  }

  @Provide
  Arbitrary<String> otherPaths() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .ofMinLength(1)
        .ofMaxLength(8)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(parts -> "/" + String.join("/", parts))
        .flatMap(p -> Arbitraries.of(p, p + "/"));
  }

  @Property
  void aBaseUrlGetsTheMetricsPathAndKeepsTheRest(
      @ForAll boolean https,
      @ForAll("hosts") String host,
      @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll boolean slash,
      @ForAll("queries") String query) {
    String base = (https ? "https" : "http") + "://" + host + ":" + port;
    URI resolved = MetricsEndpoint.resolve(URI.create(base + (slash ? "/" : "") + query));

    assertThat(resolved.toString()).isEqualTo(base + "/v1/metrics" + query);
    assertThat(MetricsEndpoint.appendsPath(URI.create(base + (slash ? "/" : "") + query))).isTrue();
  }

  @Property
  void anyOtherPathIsUsedAsWritten(
      @ForAll("hosts") String host,
      @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll("otherPaths") String path,
      @ForAll("queries") String query) {
    URI endpoint = URI.create("http://" + host + ":" + port + path + query);

    assertThat(MetricsEndpoint.resolve(endpoint)).isSameAs(endpoint);
    assertThat(MetricsEndpoint.appendsPath(endpoint)).isFalse();
  }

  @Example
  void theUsualCases() {
    assertThat(MetricsEndpoint.resolve(URI.create("http://collector:4318")))
        .hasToString("http://collector:4318/v1/metrics");
    assertThat(MetricsEndpoint.resolve(URI.create("http://collector:4318/v1/metrics")))
        .hasToString("http://collector:4318/v1/metrics");
    assertThat(MetricsEndpoint.resolve(URI.create("https://gw.example.com/otlp/v1/metrics")))
        .hasToString("https://gw.example.com/otlp/v1/metrics");
  }

  @Example
  void theLogLineCarriesNoCredentials() {
    assertThat(MetricsEndpoint.forLog("http://user:s3cret@gw:4318/v1/metrics"))
        .isEqualTo("http://***@gw:4318/v1/metrics");
    assertThat(MetricsEndpoint.forLog("http://gw:4318/v1/metrics"))
        .isEqualTo("http://gw:4318/v1/metrics");
  }
}
