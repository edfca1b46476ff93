package com.aicompanion.monitoring.benchmarks.shipping;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The reference "log to a file and let a collector ship it": the same events through Logback's own
 * {@code AsyncAppender} and a raw {@code LogstashEncoder} into a {@code FileAppender} (Logback
 * defaults: queue of 256, flush after every event), in a Logback context of its own. The appender
 * is set to lose nothing ({@code discardingThreshold} 0, blocking when full, no flush deadline on
 * stop) so that events per second is the rate at which every event reaches the file.
 *
 * <pre>{@code
 * Map<String, Object> row = new FileReference(Files.createTempDirectory("x")).run(500_000);
 * }</pre>
 */
final class FileReference {
  private final Path dir;

  FileReference(Path dir) {
    this.dir = dir;
  }

  /** Logs {@code events} events flat out; seconds run from the first event to the stopped file. */
  Map<String, Object> run(int events) throws IOException {
    Path file = dir.resolve("reference-" + System.nanoTime() + ".json");
    LoggerContext context = new LoggerContext();
    context.setName("file-reference");
    // a LoggerContext made by hand has no MDC adapter until given one: without it every event
    // fails in AsyncAppender's preprocessing and nothing reaches the file
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    FileAppender<ILoggingEvent> out = new FileAppender<>();
    out.setContext(context);
    out.setName("file");
    out.setFile(file.toString());
    out.setAppend(false);
    out.setEncoder(encoder);
    out.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("async");
    async.setDiscardingThreshold(0);
    async.setNeverBlock(false);
    async.setMaxFlushTime(0);
    async.addAppender(out);
    async.start();
    Logger logger = context.getLogger(ChatEvents.LOGGER);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(async);
    long start = System.nanoTime();
    for (long i = 0; i < events; i++) {
      ChatEvents.log(logger, i);
    }
    context.stop();
    double seconds = (System.nanoTime() - start) / 1e9;
    long lines;
    try (Stream<String> stream = Files.lines(file)) {
      lines = stream.count();
    }
    long bytes = Files.size(file);
    Files.delete(file);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("events", events);
    row.put("seconds", seconds);
    row.put("events_per_s", events / seconds);
    row.put("lines", lines);
    row.put("bytes_per_line", lines == 0 ? 0.0 : (double) bytes / lines);
    return row;
  }
}
