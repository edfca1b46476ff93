package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Human-readable lines for a terminal ({@code MONITORING_LOG_FORMAT=text}), masked with the same
 * policy as the JSON lines.
 *
 * <pre>{@code
 * MaskingTextEncoder encoder = new MaskingTextEncoder(masker);
 * encoder.setContext(context);
 * encoder.start();
 * }</pre>
 */
public final class MaskingTextEncoder extends EncoderBase<ILoggingEvent> {
  public static final String PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} %mdc - %msg%n%ex";

  private final SecretMasker masker;
  private final PatternLayout layout = new PatternLayout();

  public MaskingTextEncoder(SecretMasker masker) {
    this.masker = masker;
  }

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.setPattern(PATTERN);
    layout.start();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return masker.mask(layout.doLayout(event)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
