package com.aicompanion.monitoring.internal.delivery;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for the spool tests. {@code hold DIR}: opens the spool, prints {@code open}, and
 * waits to be killed. {@code append DIR SYNC_MILLIS PAYLOAD_BYTES}: appends numbered records as
 * fast as it can, prints {@code appended N} every 1,000 records and {@code synced N} after each
 * sync (N = the last record appended before the sync began), until it is killed.
 */
public final class SpoolChildProcess {
  private SpoolChildProcess() {}

  /** The payload of record {@code n}: its number, then bytes derived from it. */
  static byte[] payload(long n, int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(size, 8));
    b.putLong(n);
    while (b.hasRemaining()) {
      b.put((byte) (n * 31 + b.position()));
    }
    return b.array();
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path dir = Path.of(args[1]);
    if (args[0].equals("hold")) {
      SegmentFileStore store = SegmentFileStore.open(dir, 1 << 20);
      out.println("open");
      Thread.sleep(Long.MAX_VALUE);
      store.close();
      return;
    }
    long syncNanos = Long.parseLong(args[2]) * 1_000_000L;
    int size = Integer.parseInt(args[3]);
    SegmentFileStore store = SegmentFileStore.open(dir, 1L << 30);
    out.println("open");
    long lastSync = System.nanoTime();
    for (long n = 1; ; n++) {
      if (!store.append(payload(n, size))) {
        out.println("full " + n);
        Thread.sleep(Long.MAX_VALUE);
      }
      if (n % 1000 == 0) {
        out.println("appended " + n);
      }
      if (System.nanoTime() - lastSync >= syncNanos) {
        store.sync();
        lastSync = System.nanoTime();
        out.println("synced " + n);
      }
    }
  }
}
