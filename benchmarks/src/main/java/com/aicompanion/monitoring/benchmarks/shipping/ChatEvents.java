package com.aicompanion.monitoring.benchmarks.shipping;

import org.slf4j.Logger;

/**
 * The one event every part of the shipping harness logs, so that the node's capacity, the shipper
 * and the file reference handle the same documents: {@code logger.info("answered conversation {} in
 * {} ms", id, ms)} on logger {@value #LOGGER}, with 1,024 conversation ids and 1,000 latencies
 * taken in turn (made up front: the producer allocates nothing of its own).
 *
 * <pre>{@code
 * Logger logger = LoggerFactory.getLogger(ChatEvents.LOGGER);
 * for (long i = 0; i < n; i++) ChatEvents.log(logger, i);
 * }</pre>
 */
final class ChatEvents {
  static final String LOGGER = "com.example.chat.ChatService";
  static final String CALL = "logger.info(\"answered conversation {} in {} ms\", id, ms)";

  private static final String[] IDS = new String[1024];
  private static final Integer[] MILLIS = new Integer[1000];

  static {
    for (int i = 0; i < IDS.length; i++) {
      IDS[i] = "c-" + (100_000 + i * 7919 % 900_000);
    }
    for (int i = 0; i < MILLIS.length; i++) {
      MILLIS[i] = 40 + i;
    }
  }

  private ChatEvents() {}

  /** Logs event number {@code i}. */
  static void log(Logger logger, long i) {
    logger.info(
        "answered conversation {} in {} ms",
        IDS[(int) (i & (IDS.length - 1))],
        MILLIS[(int) (i % MILLIS.length)]);
  }
}
