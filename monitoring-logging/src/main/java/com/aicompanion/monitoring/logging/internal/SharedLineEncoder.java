package com.aicompanion.monitoring.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One encoder shared by the console and the Elasticsearch shipper, so that an event both of them
 * write is encoded and masked once: the first to encode an event keeps the line in a small table
 * keyed by the event's identity, the second takes it from there (and frees the slot).
 *
 * <pre>{@code
 * SharedLineEncoder shared = new SharedLineEncoder(EcsEncoders.create(context, identity, masker));
 * console.setEncoder(shared);
 * new ElasticsearchAppender(settings, shared, counters);
 * }</pre>
 *
 * <p>The table is bounded ({@value #SLOTS} slots, a newer line replaces an older one in its slot),
 * so a line only one of them wrote (the other dropped the event, or lagged by more than the table)
 * costs at most its slot until replaced. A miss just encodes again: both always get the same bytes.
 * The shared array must not be modified by either user.
 */
public final class SharedLineEncoder extends EncoderBase<ILoggingEvent> {
  static final int SLOTS = 1024;

  private final Encoder<ILoggingEvent> encoder;
  private final AtomicReferenceArray<Line> recent = new AtomicReferenceArray<>(SLOTS);

  public SharedLineEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public byte[] headerBytes() {
    return encoder.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent given) {
    // the console sees the event wrapped with its captured span, the shipper the event itself
    ILoggingEvent event = TraceCapture.original(given);
    int slot = System.identityHashCode(event) & (SLOTS - 1);
    Line line = recent.get(slot);
    if (line != null && line.event == event) {
      recent.compareAndSet(slot, line, null);
      return line.bytes;
    }
    byte[] bytes = encoder.encode(given);
    recent.set(slot, new Line(event, bytes));
    return bytes;
  }

  @Override
  public byte[] footerBytes() {
    return encoder.footerBytes();
  }

  private record Line(ILoggingEvent event, byte[] bytes) {}
}
