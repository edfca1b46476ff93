package com.aicompanion.monitoring.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogsAssertTest {
  private static final String NAME = "com.example.billing";
  private final Logger log = LoggerFactory.getLogger(NAME);

  @Test
  void eventsAreSelectedByLevelLoggerAndMessage() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.info("charged order {}", "o-1");
      log.warn("card declined for order {}", "o-2");
      LoggerFactory.getLogger(NAME + ".refunds").warn("refund queued");

      LogsAssert.assertThat(logs).hasSize(3);
      LogsAssert.assertThat(logs).withLevel(Level.WARN).hasSize(2);
      LogsAssert.assertThat(logs).atLeast(Level.INFO).hasSize(3);
      LogsAssert.assertThat(logs).atLeast(Level.ERROR).isEmpty();
      LogsAssert.assertThat(logs)
          .withLogger(NAME)
          .withLevel(Level.WARN)
          .single()
          .hasMessage("card declined for order o-2")
          .hasLogger(NAME)
          .hasLevel(Level.WARN);
      LogsAssert.assertThat(logs)
          .withMessageContaining("refund")
          .single()
          .hasMessageContaining("queued");
    }
  }

  @Test
  void aWrongCountFailsListingTheSelectedEvents() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.warn("card declined for order {}", "o-2");
      log.error("charge failed");

      assertThatThrownBy(() -> LogsAssert.assertThat(logs).atLeast(Level.WARN).hasSize(1))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected 1 events at WARN or above, but found 2:")
          .hasMessageContaining("  WARN com.example.billing - card declined for order o-2")
          .hasMessageContaining("  ERROR com.example.billing - charge failed");
      assertThatThrownBy(() -> LogsAssert.assertThat(logs).atLeast(Level.ERROR).isEmpty())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected no events at ERROR or above, but found 1:")
          .hasMessageContaining("ERROR com.example.billing - charge failed");
    }
  }

  @Test
  void anEmptySelectionFailsListingEverythingCaptured() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.info("charged order o-1");

      assertThatThrownBy(
              () -> LogsAssert.assertThat(logs).withMessageContaining("declined").single())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected exactly one of the events with a message containing \"declined\", but"
                  + " found 0:")
          .hasMessageContaining("captured:")
          .hasMessageContaining("INFO com.example.billing - charged order o-1");
    }
  }

  @Test
  void messageAndLevelMismatchesShowWhatWasLogged() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.info("charged order {}", "o-1");

      LogEventAssert event = LogsAssert.assertThat(logs).single();
      assertThatThrownBy(() -> event.hasMessage("charged order o-2"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the message")
          .hasMessageContaining("\"charged order o-2\"")
          .hasMessageContaining("but it is")
          .hasMessageContaining("\"charged order o-1\"");
      assertThatThrownBy(() -> event.hasMessageContaining("refund"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected the message to contain");
      assertThatThrownBy(() -> event.hasLevel(Level.WARN))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected level WARN, but the event is:\n  INFO com.example.billing - charged order"
                  + " o-1");
      assertThatThrownBy(() -> event.hasLogger("com.example.other"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected logger com.example.other, but the event is:");
    }
  }

  @Test
  void mdcIsCapturedAsItWasWhenTheEventWasLogged() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      MDC.put("order_id", "o-17");
      try {
        log.warn("card declined");
      } finally {
        MDC.remove("order_id");
      }

      LogEventAssert event = LogsAssert.assertThat(logs).single();
      event.hasMdcEntry("order_id", "o-17");
      assertThatThrownBy(() -> event.hasMdcEntry("order_id", "o-18"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected MDC order_id=o-18, but the event's MDC is {order_id=o-17}");
    }
  }

  @Test
  void keyValuePairsMatchByValueOrByText() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.atInfo().addKeyValue("amount_cents", 1200).log("charged");

      LogEventAssert event = LogsAssert.assertThat(logs).single();
      event.hasKeyValue("amount_cents", 1200).hasKeyValue("amount_cents", "1200");
      assertThatThrownBy(() -> event.hasKeyValue("amount_cents", 1300))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected key-value amount_cents=1300, but the event's key-values are")
          .hasMessageContaining("amount_cents");
    }
  }

  @Test
  void throwableIsMatchedByTypeAndMessage() {
    try (CapturedLogs logs = CapturedLogs.attach(NAME)) {
      log.error("charge failed", new IOException("connection reset"));
      log.info("retrying");

      LogEventAssert failed = LogsAssert.assertThat(logs).withLevel(Level.ERROR).single();
      failed.hasThrowable(IOException.class).hasThrowable(Exception.class, "reset");
      assertThatThrownBy(() -> failed.hasThrowable(IllegalStateException.class))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected a java.lang.IllegalStateException with the event, but it has"
                  + " java.io.IOException: connection reset");
      assertThatThrownBy(() -> failed.hasThrowable(IOException.class, "timeout"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected the java.io.IOException's message to contain \"timeout\", but it is"
                  + " \"connection reset\"");
      assertThatThrownBy(failed::hasNoThrowable)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(
              "Expected no throwable with the event, but it has java.io.IOException");
      LogsAssert.assertThat(logs).withLevel(Level.INFO).single().hasNoThrowable();
      assertThatThrownBy(
              () ->
                  LogsAssert.assertThat(logs)
                      .withLevel(Level.INFO)
                      .single()
                      .hasThrowable(IOException.class))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("but it has none");
    }
  }

  @Test
  void closingDetachesSoLaterEventsAreNotCaptured() {
    CapturedLogs logs = CapturedLogs.attach(LogsAssertTest.class);
    LoggerFactory.getLogger(LogsAssertTest.class).info("before");
    logs.close();
    LoggerFactory.getLogger(LogsAssertTest.class).info("after");

    LogsAssert.assertThat(logs).single().hasMessage("before");
    logs.clear();
    LogsAssert.assertThat(logs).isEmpty();
  }

  @Test
  void theRootCaptureSeesEveryLogger() {
    try (CapturedLogs logs = CapturedLogs.attach()) {
      LoggerFactory.getLogger("org.example.anything").info("hello");

      LogsAssert.assertThat(logs).withLogger("org.example.anything").single().hasMessage("hello");
    }
  }
}
