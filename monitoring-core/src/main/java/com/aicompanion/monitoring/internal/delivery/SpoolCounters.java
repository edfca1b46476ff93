package com.aicompanion.monitoring.internal.delivery;

import java.util.concurrent.atomic.AtomicLong;

/** The numbers a spool's appender and reader both update. */
final class SpoolCounters {
  /** Records stored and not acknowledged. */
  final AtomicLong records = new AtomicLong();

  /** Their payload bytes. */
  final AtomicLong payloadBytes = new AtomicLong();

  /** The segment files' total size. */
  final AtomicLong diskBytes = new AtomicLong();

  /** Records found lost. */
  final AtomicLong corruptRecords = new AtomicLong();

  /** Bytes skipped as unreadable. */
  final AtomicLong skippedBytes = new AtomicLong();
}
