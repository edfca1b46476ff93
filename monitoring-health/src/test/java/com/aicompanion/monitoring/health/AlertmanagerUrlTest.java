package com.aicompanion.monitoring.health;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The Alertmanager URL follows the library's one http(s) rule: schemes in any case. */
class AlertmanagerUrlTest {
  @Test
  void anUpperCaseSchemeIsAcceptedAndANonHttpOneRefusedNamingTheFix() {
    assertThatCode(
            () -> AlertNotifier.builder(URI.create("HTTP://alertmanager:9093")).build().close())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> AlertNotifier.builder(URI.create("ftp://alertmanager:9093")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an http(s) URL, e.g. http://alertmanager:9093");
  }

  @Test
  void nullBuilderArgumentsAreRefusedNamingTheMethod() {
    assertThatThrownBy(() -> AlertNotifier.builder(null).service(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service(null): pass a value; to keep the default, do not call service()");
  }
}
