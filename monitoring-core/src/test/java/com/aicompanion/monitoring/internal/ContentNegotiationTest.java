package com.aicompanion.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.internal.ContentNegotiation.Format;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentNegotiationTest {
  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  private static Optional<Format> negotiate(String... lines) {
    return ContentNegotiation.format(lines.length == 0 ? null : Arrays.asList(lines));
  }

  @Test
  void highestWeightWinsOverHeaderOrder() {
    assertThat(
            negotiate(
                "text/plain;version=0.0.4;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.3"))
        .contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("text/plain;q=0.2, application/openmetrics-text;q=0.9"))
        .contains(Format.OPENMETRICS);
  }

  @Test
  void prometheusDefaultHeadersGetTheirPreferredFormat() {
    // Prometheus 2.x with native histograms, 2.x default, 3.x default
    assertThat(negotiate(PROTOBUF + ";q=0.8,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"))
        .contains(Format.PROTOBUF);
    assertThat(
            negotiate(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .contains(Format.OPENMETRICS);
    assertThat(
            negotiate(
                "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                    + "application/openmetrics-text;version=0.0.1;q=0.5,"
                    + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                    + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"))
        .contains(Format.OPENMETRICS);
  }

  @Test
  void noHeaderOrAnEmptyOneOrAnyTypeGetsText() {
    assertThat(negotiate()).contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("")).contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("*/*")).contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("text/html, */*;q=0.8")).contains(Format.PROMETHEUS_TEXT);
  }

  @Test
  void zeroWeightMeansNotAcceptable() {
    assertThat(negotiate("text/plain;q=0, */*")).contains(Format.OPENMETRICS);
    assertThat(negotiate("text/plain;q=0, application/openmetrics-text;q=0, */*"))
        .contains(Format.PROTOBUF);
    assertThat(negotiate("*/*;q=0")).isEmpty();
    assertThat(negotiate("text/*;q=0, application/*;q=0")).isEmpty();
    assertThat(negotiate("text/plain;q=0.000")).isEmpty();
  }

  @Test
  void nothingAcceptableFallsBackToTextUnlessTextWasRefused() {
    assertThat(negotiate("application/json")).contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("application/openmetrics-text;q=0")).contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("application/json, text/plain;q=0")).isEmpty();
  }

  @Test
  void typesParametersAndValuesAreCaseInsensitive() {
    assertThat(negotiate("TEXT/Plain;Version=0.0.4;Q=0.9, Application/OpenMetrics-Text;q=0.5"))
        .contains(Format.PROMETHEUS_TEXT);
    assertThat(
            negotiate(
                "APPLICATION/VND.GOOGLE.PROTOBUF; PROTO=IO.Prometheus.Client.MetricFamily;"
                    + " ENCODING=Delimited, text/plain;q=0.5"))
        .contains(Format.PROTOBUF);
    assertThat(negotiate("application/openmetrics-text; version=\"1.0.0\"; charset=UTF-8"))
        .contains(Format.OPENMETRICS);
  }

  @Test
  void parametersThatDoNotFitExcludeTheFormat() {
    assertThat(negotiate("application/vnd.google.protobuf;encoding=text, text/plain;q=0.1"))
        .contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("application/openmetrics-text;version=2.0.0, text/plain;q=0.1"))
        .contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("text/plain;charset=iso-8859-1, application/openmetrics-text;q=0.1"))
        .contains(Format.OPENMETRICS);
  }

  @Test
  void theMostSpecificRangeSetsTheWeight() {
    // text/plain;q=0 overrides text/*, so openmetrics via application/* wins
    assertThat(negotiate("text/*;q=1, text/plain;q=0, application/*;q=0.1"))
        .contains(Format.OPENMETRICS);
    // the more specific range wins a tie in weight
    assertThat(negotiate("text/*;q=0.5, application/openmetrics-text;q=0.5"))
        .contains(Format.OPENMETRICS);
    // equal weight and specificity: our order
    assertThat(negotiate("application/openmetrics-text, text/plain"))
        .contains(Format.PROMETHEUS_TEXT);
    assertThat(negotiate("application/*")).contains(Format.OPENMETRICS);
  }

  @Test
  void severalHeaderLinesCount() {
    assertThat(negotiate("text/plain;q=0.1", "application/openmetrics-text;q=0.7"))
        .contains(Format.OPENMETRICS);
  }

  @Test
  void malformedRangesAreIgnored() {
    assertThat(negotiate("garbage, text/plain;q=abc, application/openmetrics-text;q=0.4"))
        .contains(Format.OPENMETRICS);
    assertThat(negotiate("text/plain;q=1.5, application/openmetrics-text;q=0.4"))
        .contains(Format.OPENMETRICS);
    assertThat(negotiate("*/plain, ;;, /")).contains(Format.PROMETHEUS_TEXT);
  }

  @Test
  void gzipFollowsAcceptEncodingWeights() {
    assertThat(ContentNegotiation.gzip(null)).isFalse();
    assertThat(ContentNegotiation.gzip(List.of("gzip"))).isTrue();
    assertThat(ContentNegotiation.gzip(List.of("deflate, GZIP;q=0.5, br"))).isTrue();
    assertThat(ContentNegotiation.gzip(List.of("gzip;q=0"))).isFalse();
    assertThat(ContentNegotiation.gzip(List.of("*"))).isTrue();
    assertThat(ContentNegotiation.gzip(List.of("*;q=0.5, gzip;q=0"))).isFalse();
    assertThat(ContentNegotiation.gzip(List.of("identity;q=1, gzip;q=0.5"))).isFalse();
    assertThat(ContentNegotiation.gzip(List.of("identity;q=0.2, gzip;q=0.5"))).isTrue();
    assertThat(ContentNegotiation.gzip(List.of("br, deflate"))).isFalse();
  }
}
