package com.aicompanion.monitoring.internal.delivery;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The groups of records a delivery has handed to its senders and not yet acknowledged, in store
 * order, and the rule that keeps acknowledgements in sequence: a group that finishes before an
 * earlier one waits, and the store is acknowledged up to the end of the longest finished prefix
 * only. A store discards what is acknowledged, so a finished later group must never let it discard
 * an earlier group still in flight; a crash then resends the unfinished group and everything after
 * it (redelivery stays idempotent through the records' ids).
 *
 * <pre>{@code
 * InFlightGroups groups = new InFlightGroups();
 * InFlightGroups.Group g = groups.dispatched(batch.get(batch.size() - 1), batch.size(), bytes);
 * // ... a sender thread settles every record of g ...
 * RecordStore.Record upTo = groups.finished(g);   // null while an earlier group is in flight
 * if (upTo != null) store.ack(upTo);
 * }</pre>
 *
 * <p>Thread-safe: one thread dispatches, any thread finishes.
 */
public final class InFlightGroups {
  /** One dispatched group: its last record, its size in records and payload bytes. */
  public static final class Group {
    private final RecordStore.Record last;
    private final int records;
    private final long bytes;
    private boolean finished;

    private Group(RecordStore.Record last, int records, long bytes) {
      this.last = last;
      this.records = records;
      this.bytes = bytes;
    }

    /** The group's last record (the one to acknowledge the store up to). */
    public RecordStore.Record last() {
      return last;
    }

    /** The group's records. */
    public int records() {
      return records;
    }
  }

  private final ArrayDeque<Group> open = new ArrayDeque<>();
  private long lastDispatched = Long.MIN_VALUE;
  private volatile long openRecords;
  private volatile long openBytes;
  private long acknowledgedRecords;

  /**
   * Registers the next group; its records follow every earlier group's in the store.
   *
   * @param last the group's last record
   * @param records the group's records, at least 1
   * @param bytes the group's payload bytes
   * @throws IllegalArgumentException when {@code last} does not follow the last dispatched record
   */
  public synchronized Group dispatched(RecordStore.Record last, int records, long bytes) {
    if (last.sequence() <= lastDispatched || records < 1) {
      throw new IllegalArgumentException(
          "group of "
              + records
              + " record(s) ending at "
              + last.sequence()
              + " does not follow the last dispatched record "
              + lastDispatched
              + ": dispatch groups in store order");
    }
    Group group = new Group(last, records, bytes);
    open.addLast(group);
    lastDispatched = last.sequence();
    openRecords += records;
    openBytes += bytes;
    return group;
  }

  /**
   * Marks {@code group} finished (every record in it has an outcome) and returns the record to
   * acknowledge the store up to: the last record of the longest prefix of finished groups, or null
   * when an earlier group is still in flight (then its own {@code finished} returns the later
   * groups' end too). Idempotent.
   */
  public synchronized RecordStore.@Nullable Record finished(Group group) {
    group.finished = true;
    RecordStore.Record upTo = null;
    while (!open.isEmpty() && open.peekFirst().finished) {
      Group done = open.pollFirst();
      upTo = done.last;
      openRecords -= done.records;
      openBytes -= done.bytes;
      acknowledgedRecords += done.records;
    }
    return upTo;
  }

  /** The sequence of the last dispatched record, or {@link Long#MIN_VALUE} before the first. */
  public synchronized long lastDispatched() {
    return lastDispatched;
  }

  /**
   * Groups dispatched and not yet released by {@link #finished} (in flight, or waiting for one).
   */
  public synchronized int open() {
    return open.size();
  }

  /** Records of the open groups (a racy read is fine: a hint for batching). */
  public long openRecords() {
    return openRecords;
  }

  /** Payload bytes of the open groups (a racy read is fine: a hint for batching). */
  public long openBytes() {
    return openBytes;
  }

  /** Records released by {@link #finished} so far. */
  public synchronized long acknowledgedRecords() {
    return acknowledgedRecords;
  }
}
