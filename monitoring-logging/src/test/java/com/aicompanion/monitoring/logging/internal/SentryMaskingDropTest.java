package com.aicompanion.monitoring.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import org.junit.jupiter.api.Test;

/** An event that cannot be masked is not sent, and the drop is counted (issue 15, case 12). */
class SentryMaskingDropTest {
  @Test
  void anEventWhoseMaskingFailsIsDroppedAndCounted() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SentryCounters counters = new SentryCounters(meters);
    assertThat(
            meters
                .get("monitoring.sentry.events.dropped")
                .tag("reason", "masking_failed")
                .counter()
                .count())
        .isZero();
    SentryEvent event = new SentryEvent();
    Message message = new Message();
    message.setMessage("token=abc");
    event.setMessage(message);

    // a policy that fails: the null policy throws inside masking
    SentryEvent sent = SentryMasking.beforeSend(null, counters).execute(event, new Hint());

    assertThat(sent).isNull();
    assertThat(
            meters
                .get("monitoring.sentry.events.dropped")
                .tag("reason", "masking_failed")
                .counter()
                .count())
        .isEqualTo(1.0);
  }
}
