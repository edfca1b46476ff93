package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.util.ReusableByteBuffer;
import net.logstash.logback.util.ThreadLocalReusableByteBuffer;

/**
 * logstash-logback-encoder's composite encoder that never throws and never returns an empty line:
 * an event whose encoding fails as a whole (any {@code Throwable}, also {@code StackOverflowError})
 * is written as its {@link MinimalLine} and counted in {@link EncodingErrors} (which describes the
 * first failure once). So no event can stop the appender thread that encodes it. (The composite
 * encoder itself lets errors through, and for an {@code IOException} returns no bytes and puts the
 * event's unmasked message into a status warning.)
 *
 * <pre>{@code
 * LoggingEventCompositeJsonEncoder encoder = new EcsLineEncoder(minimal, errors);
 * encoder.setProviders(providers);
 * encoder.start();
 * byte[] line = encoder.encode(event);   // never throws, always one line
 * }</pre>
 */
final class EcsLineEncoder extends LoggingEventCompositeJsonEncoder {
  private final MinimalLine minimal;
  private final EncodingErrors errors;
  private ThreadLocalReusableByteBuffer buffers;

  EcsLineEncoder(MinimalLine minimal, EncodingErrors errors) {
    this.minimal = minimal;
    this.errors = errors;
  }

  @Override
  public void start() {
    buffers = new ThreadLocalReusableByteBuffer(getMinBufferSize());
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    if (buffers != null) {
      buffers.close();
    }
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ReusableByteBuffer buffer;
    try {
      buffer = buffers.acquire();
    } catch (Throwable failure) {
      // not started, or an event logged while this thread encodes another with this encoder
      return failed(event, failure);
    }
    try {
      encode(event, buffer);
      return buffer.toByteArray();
    } catch (Throwable failure) {
      return failed(event, failure);
    } finally {
      buffers.release();
    }
  }

  private byte[] failed(ILoggingEvent event, Throwable failure) {
    Throwable cause = EncodingErrors.unwrap(failure);
    try {
      errors.record(EncodingErrors.EVENT, cause);
    } catch (Throwable ignored) {
      // the line below is still written
    }
    return minimal.write(event, cause);
  }
}
