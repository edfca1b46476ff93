package com.aicompanion.monitoring.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes the {@code @timestamp} value, {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, formatted by
 * hand without allocating, and kept encoded for a millisecond in which several events are logged.
 *
 * <pre>{@code
 * UtcTimestamp timestamps = new UtcTimestamp();
 * timestamps.write(generator, event.getTimeStamp());   // "2024-05-01T12:00:00.123Z"
 * }</pre>
 *
 * <p>The first event of a millisecond is formatted into a per-thread buffer (nothing allocated);
 * the second one in the same millisecond keeps the text as an encoded string, which every further
 * event of that millisecond writes as it is. Thread-safe: the cached entry is immutable and
 * replaced racily (a lost update only costs formatting again).
 */
public final class UtcTimestamp {
  private static final DateTimeFormatter FALLBACK =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long MS_PER_DAY = 86_400_000L;
  // 0001-01-01 and 9999-12-31T23:59:59.999 in epoch milliseconds: four-digit years only
  private static final long MIN = -62_135_596_800_000L;
  private static final long MAX = 253_402_300_799_999L;
  private static final int LENGTH = 24;
  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[LENGTH]);

  private Entry last = new Entry(Long.MIN_VALUE, null);
  private long lastUncached = Long.MIN_VALUE;

  /** Writes {@code epochMillis} as a JSON string value. */
  public void write(JsonGenerator out, long epochMillis) throws IOException {
    Entry entry = last;
    if (entry.millis == epochMillis) {
      out.writeString(entry.text);
      return;
    }
    if (epochMillis < MIN || epochMillis > MAX) {
      out.writeString(FALLBACK.format(Instant.ofEpochMilli(epochMillis)));
      return;
    }
    if (epochMillis == lastUncached) {
      entry = new Entry(epochMillis, new SerializedString(format(epochMillis)));
      last = entry;
      out.writeString(entry.text);
      return;
    }
    lastUncached = epochMillis;
    char[] buffer = BUFFER.get();
    format(epochMillis, buffer);
    out.writeString(buffer, 0, LENGTH);
  }

  /** {@code epochMillis} as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC. */
  public static String format(long epochMillis) {
    if (epochMillis < MIN || epochMillis > MAX) {
      return FALLBACK.format(Instant.ofEpochMilli(epochMillis));
    }
    char[] out = new char[LENGTH];
    format(epochMillis, out);
    return new String(out);
  }

  /** Fills {@code out[0..24)}; {@code epochMillis} must be within years 1 to 9999. */
  private static void format(long epochMillis, char[] out) {
    long days = Math.floorDiv(epochMillis, MS_PER_DAY);
    int msOfDay = (int) Math.floorMod(epochMillis, MS_PER_DAY);
    // civil date from days since 1970-01-01 (proleptic Gregorian, eras of 400 years)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int dayOfEra = (int) (z - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int mp = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);

    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, month, 2);
    out[7] = '-';
    digits(out, 8, day, 2);
    out[10] = 'T';
    digits(out, 11, msOfDay / 3_600_000, 2);
    out[13] = ':';
    digits(out, 14, msOfDay / 60_000 % 60, 2);
    out[16] = ':';
    digits(out, 17, msOfDay / 1000 % 60, 2);
    out[19] = '.';
    digits(out, 20, msOfDay % 1000, 3);
    out[23] = 'Z';
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private record Entry(long millis, SerializableString text) {}
}
