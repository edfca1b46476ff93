package com.aicompanion.monitoring.internal.delivery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** Test helpers that look at and damage a spool's files directly. */
final class SpoolFiles {
  private SpoolFiles() {}

  /** One record frame as it lies in a segment file. */
  record Frame(long offset, int length, long seq) {
    long end() {
      return offset + SpoolFormat.FRAME_HEADER + length;
    }
  }

  /** The segment files, oldest first. */
  static List<Path> segments(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> SpoolFormat.parseSegmentName(p.getFileName().toString()) >= 0)
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The frames of a segment, read by their lengths alone (no checksum), up to the file's end. */
  static List<Frame> frames(Path segment) {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      List<Frame> frames = new ArrayList<>();
      long off = SpoolFormat.SEGMENT_HEADER;
      ByteBuffer head = ByteBuffer.allocate(SpoolFormat.FRAME_HEADER);
      while (off + SpoolFormat.FRAME_HEADER <= size) {
        head.clear();
        ch.read(head, off);
        int length = head.getInt(0);
        if (length < 0 || off + SpoolFormat.FRAME_HEADER + length > size) {
          break;
        }
        frames.add(new Frame(off, length, head.getLong(8)));
        off += SpoolFormat.FRAME_HEADER + length;
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  static void write(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, offset + b.position());
      }
    }
  }

  static void append(Path file, byte[] bytes) throws IOException {
    write(file, Files.size(file), bytes);
  }

  /** Changes one byte (never back to what it was, even when called again on it). */
  static void flipByte(Path file, long offset) throws IOException {
    byte[] one = new byte[1];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.read(ByteBuffer.wrap(one), offset);
    }
    one[0] += 0x5b; // not an involution: changing the same byte twice does not restore it
    write(file, offset, one);
  }

  /** Collects the store's WARN lines through the real Logback backend. */
  static final class Warnings implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(SegmentFileStore.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    Warnings() {
      appender.start();
      logger.addAppender(appender);
    }

    List<String> lines() {
      return appender.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }
}
