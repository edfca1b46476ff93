package com.aicompanion.monitoring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The series of one facade metric, keyed by their label values in the metric's fixed key order,
 * with the cardinality guard of {@link Series}.
 *
 * <pre>{@code
 * LabelSeries<Counter> series = new LabelSeries<>("jobs", new String[] {"queue"}, 1000, registry);
 * Counter c = series.find(Map.of("queue", "ingest"));   // no allocation
 * }</pre>
 *
 * <p>A lookup probes an open-addressing table with the caller's map itself: the hash is folded from
 * the map's values in key order and a slot is compared value by value, so finding an existing
 * series allocates nothing and keeps no copy of the caller's map. A series costs one small entry
 * (its values array and the meter), instead of a copied map plus a hash-map node. Readers take no
 * lock; writers insert under the lock and publish a grown table through a volatile field (entries
 * are immutable, so a reader sees a whole entry or none, and a miss falls through to the locked
 * path).
 */
public final class LabelSeries<M> {
  private static final int INITIAL_CAPACITY = 8;

  private static final class Entry {
    final String[] values;
    final int hash;
    final Object meter;

    Entry(String[] values, int hash, Object meter) {
      this.values = values;
      this.hash = hash;
      this.meter = meter;
    }
  }

  private final String[] keys;
  private final int limit;
  private final Overflow<M> overflow;
  private volatile Entry[] table = new Entry[INITIAL_CAPACITY];

  /** Guarded by this. */
  private int size;

  /**
   * @param keys the metric's label keys in the order values are kept; the caller's maps must hold
   *     exactly these keys
   */
  public LabelSeries(String metric, String[] keys, int limit, MeterRegistry registry) {
    this.keys = keys.clone();
    this.limit = limit;
    this.overflow = new Overflow<>(metric, registry);
  }

  /** The metric's label keys, in value order. */
  public String[] keys() {
    return keys.clone();
  }

  /**
   * The existing series for {@code labels}, or {@code null} when there is none or {@code labels}
   * does not hold exactly this metric's keys with non-null values. Allocates nothing.
   */
  @SuppressWarnings("unchecked")
  public M find(Map<String, String> labels) {
    if (labels.size() != keys.length) {
      return null;
    }
    int hash = 1;
    for (String key : keys) {
      String value = labels.get(key);
      if (value == null) {
        return null;
      }
      hash = 31 * hash + value.hashCode();
    }
    hash = spread(hash);
    Entry[] t = table;
    int mask = t.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry e = t[i];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && matches(e.values, labels)) {
        return (M) e.meter;
      }
    }
  }

  /**
   * The series for {@code labels} (which must hold exactly this metric's keys with non-null
   * values), created by {@code create} from the values in key order when the limit allows, else the
   * overflow series made once by {@code overflowFactory}. A {@code null} from {@code create} is
   * returned and not stored.
   */
  public M getOrCreate(
      Map<String, String> labels, Function<String[], M> create, Supplier<M> overflowFactory) {
    M existing = find(labels);
    if (existing != null) {
      return existing;
    }
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = labels.get(keys[i]);
    }
    synchronized (this) {
      existing = find(labels);
      if (existing != null) {
        return existing;
      }
      if (size >= limit) {
        return overflow.fold(overflowFactory);
      }
      M created = create.apply(values.clone());
      if (created != null) {
        insert(values, created);
      }
      return created;
    }
  }

  /** The number of distinct label sets, not counting the overflow series. */
  public synchronized int size() {
    return size;
  }

  private void insert(String[] values, Object meter) {
    int hash = 1;
    for (String value : values) {
      hash = 31 * hash + value.hashCode();
    }
    Entry entry = new Entry(values, spread(hash), meter);
    Entry[] t = table;
    if ((size + 1) * 2 > t.length) {
      Entry[] grown = new Entry[t.length * 2];
      for (Entry e : t) {
        if (e != null) {
          place(grown, e);
        }
      }
      place(grown, entry);
      table = grown;
    } else {
      place(t, entry);
    }
    size++;
  }

  private static void place(Entry[] t, Entry entry) {
    int mask = t.length - 1;
    int i = entry.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = entry;
  }

  private boolean matches(String[] values, Map<String, String> labels) {
    for (int i = 0; i < keys.length; i++) {
      if (!values[i].equals(labels.get(keys[i]))) {
        return false;
      }
    }
    return true;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
