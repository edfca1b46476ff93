package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.MonitoringException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JsonLogging follows the one ownership rule: claim at install, release at close. */
class JsonLoggingOwnershipTest {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLoggingOwnershipTest.class);

  @Test
  void installCloseAndInstallAgainEachOwnTheRootLoggerInTurn() {
    LineSink firstSink = new LineSink();
    LineSink secondSink = new LineSink();
    JsonLogging first = JsonLogging.builder("first").output(firstSink).install();
    assertThat(JsonLogging.current()).isSameAs(first);
    LOG.info("to the first");
    first.close();
    assertThat(JsonLogging.current()).isNull();

    try (JsonLogging second = JsonLogging.builder("second").output(secondSink).install()) {
      assertThat(JsonLogging.current()).isSameAs(second);
      LOG.info("to the second");
    }
    assertThat(JsonLogging.current()).isNull();
    assertThat(firstSink.text()).contains("to the first").doesNotContain("to the second");
    assertThat(secondSink.text()).contains("to the second").doesNotContain("to the first");
  }

  @Test
  void aSecondInstallWhileTheOwnerIsOpenFailsNamingTheOwnerAndLeavesItInCharge() {
    LineSink ownerSink = new LineSink();
    try (JsonLogging owner = JsonLogging.builder("owner-svc").output(ownerSink).install()) {
      assertThatThrownBy(() -> JsonLogging.builder("late-svc").output(new LineSink()).install())
          .isInstanceOf(MonitoringException.class)
          .hasMessageContaining("JsonLogging for late-svc cannot become the current JsonLogging")
          .hasMessageContaining("JsonLogging for owner-svc holds it")
          .hasMessageContaining("registerGlobal(false)");
      assertThat(JsonLogging.current()).isSameAs(owner);
      LOG.info("still the owner's");
    }
    assertThat(ownerSink.text()).contains("still the owner's");
  }

  @Test
  void registerGlobalFalseWritesBesideTheOwnerAndLeavesNothingBehind() {
    LineSink ownerSink = new LineSink();
    LineSink besideSink = new LineSink();
    try (JsonLogging owner = JsonLogging.builder("owner").output(ownerSink).install()) {
      JsonLogging beside =
          JsonLogging.builder("beside").output(besideSink).registerGlobal(false).install();
      assertThat(JsonLogging.current()).isSameAs(owner);
      LOG.info("seen by both");
      beside.close();
      LOG.info("after beside closed");
      assertThat(JsonLogging.current()).isSameAs(owner);
    }
    assertThat(ownerSink.text()).contains("seen by both").contains("after beside closed");
    assertThat(besideSink.text()).contains("seen by both").doesNotContain("after beside closed");
  }
}
