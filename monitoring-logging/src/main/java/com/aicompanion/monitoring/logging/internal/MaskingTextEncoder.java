package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Human-readable lines for a terminal ({@code MONITORING_LOG_FORMAT=text}), masked with the same
 * policy as the JSON lines. The MDC is printed as {@code key=value} text, so no user field can
 * collide with anything here; an event that fails to lay out or mask still gives a line.
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

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final PatternLayout layout = new PatternLayout();

  public MaskingTextEncoder(SecretMasker masker) {
    this(masker, new EncodingErrors());
  }

  /** Counts in {@code errors} the events whose line could not be laid out or masked. */
  public MaskingTextEncoder(SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
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

  /**
   * The masked line; never throws. When laying out or masking it fails (a {@code toString()} that
   * throws, a masking pattern that overflows the stack), the line keeps the time, level, thread and
   * logger and has {@code [unavailable: <exception class>]} for the rest; it is counted.
   */
  @Override
  public byte[] encode(ILoggingEvent event) {
    try {
      return masker.mask(layout.doLayout(event)).getBytes(StandardCharsets.UTF_8);
    } catch (Throwable failure) {
      try {
        errors.record(EncodingErrors.EVENT, failure);
      } catch (Throwable ignored) {
        // the line below is still written
      }
      return minimal(event, failure);
    }
  }

  private static byte[] minimal(ILoggingEvent event, Throwable failure) {
    try {
      String line =
          TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))
              + " "
              + event.getLevel()
              + " ["
              + event.getThreadName()
              + "] "
              + event.getLoggerName()
              + " - "
              + EncodingErrors.marker(failure)
              + System.lineSeparator();
      return line.getBytes(StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return (EncodingErrors.marker(failure) + System.lineSeparator())
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
