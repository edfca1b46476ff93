package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes {@code error.type} (the exception's class name), {@code error.message} and {@code
 * error.stack_trace} (Logback's extended format, as logstash-logback-encoder writes it) for an
 * event with an exception, the last two masked (the stack trace, when it allows, by masking its
 * messages before formatting: {@link StackTraceText}). Each value is read and masked before its
 * field is started, so that one that throws (a proxy whose message or stack cannot be read, a
 * masking rule that overflows the stack) is written as {@link EncodingErrors#marker} and the rest
 * of the line stays.
 *
 * <pre>{@code
 * providers.addProvider(new ErrorFieldsJsonProvider(masker, errors));
 * }</pre>
 */
final class ErrorFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private static final SerializableString TYPE = new SerializedString("error.type");
  private static final SerializableString MESSAGE = new SerializedString("error.message");
  private static final SerializableString STACK_TRACE = new SerializedString("error.stack_trace");

  private final SecretMasker masker;
  private final EncodingErrors errors;
  private final ThrowableHandlingConverter stackTraces = new ExtendedThrowableProxyConverter();
  private final StackTraceText maskedTraces;

  ErrorFieldsJsonProvider(SecretMasker masker, EncodingErrors errors) {
    this.masker = masker;
    this.errors = errors;
    this.maskedTraces = new StackTraceText(masker);
  }

  @Override
  public void start() {
    stackTraces.setContext(getContext());
    stackTraces.start();
    maskedTraces.start(getContext());
    super.start();
  }

  @Override
  public void stop() {
    stackTraces.stop();
    maskedTraces.stop();
    super.stop();
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    IThrowableProxy proxy;
    try {
      proxy = event.getThrowableProxy();
    } catch (Throwable failure) {
      proxy = null;
    }
    if (proxy == null) {
      return;
    }
    try {
      JsonGenerator out = MaskingJsonGenerator.unmasked(generator);
      String type = read(proxy, TYPE);
      if (type != null) {
        out.writeFieldName(TYPE);
        out.writeString(type);
      }
      String message = read(proxy, MESSAGE);
      if (message != null) {
        out.writeFieldName(MESSAGE);
        out.writeString(message);
      }
      String stack = stack(event, proxy);
      if (stack != null) {
        out.writeFieldName(STACK_TRACE);
        out.writeString(stack);
      }
    } catch (Throwable failure) {
      throw EncodingErrors.wrap(failure);
    }
  }

  private String read(IThrowableProxy proxy, SerializableString field) {
    try {
      if (field == TYPE) {
        return proxy.getClassName();
      }
      String message = proxy.getMessage();
      if (message == null) {
        return null;
      }
      // masked as the stack trace's first line reads ("x.InvalidTokenException: abc"), where a
      // rule may take the class name for the key, so error.message never shows what the trace hides
      String head = proxy.getClassName() + ": ";
      String line = masker.mask(head + message);
      return line.startsWith(head) ? line.substring(head.length()) : masker.mask(message);
    } catch (Throwable failure) {
      return failed(field, failure);
    }
  }

  private String stack(ILoggingEvent event, IThrowableProxy proxy) {
    try {
      // messages masked before formatting, frames checked per element: no pass over the text
      String masked = maskedTraces.format(proxy);
      return masked != null ? masked : masker.mask(stackTraces.convert(event));
    } catch (Throwable failure) {
      return failed(STACK_TRACE, failure);
    }
  }

  private String failed(SerializableString field, Throwable failure) {
    try {
      errors.record(field.getValue(), failure);
    } catch (Throwable ignored) {
      // the marker is still written
    }
    return EncodingErrors.marker(failure);
  }
}
