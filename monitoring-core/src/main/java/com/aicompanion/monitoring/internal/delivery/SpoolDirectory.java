package com.aicompanion.monitoring.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * A spool directory held by one store: its lock ({@code spool.lock}, an exclusive {@link
 * FileChannel#tryLock}, which the operating system drops when the process dies) and its {@code
 * store-id} file (written once: temporary file, force, atomic rename).
 */
final class SpoolDirectory implements AutoCloseable {
  static final String LOCK_FILE = "spool.lock";
  static final String STORE_ID_FILE = "store-id";

  final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private SpoolDirectory(Path path, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it. */
  static SpoolDirectory lock(Path dir) throws IOException {
    Path path = dir.toAbsolutePath();
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new IOException(
          "Cannot create the spool directory " + path + " (" + e + "); choose a writable one", e);
    }
    FileChannel channel =
        FileChannel.open(
            path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new SpoolInUseException(path, "another store in this JVM");
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new SpoolInUseException(path, "another process");
    }
    return new SpoolDirectory(path, channel, lock);
  }

  /** The store id on disk, or null when there is none or it is unreadable (noted in problems). */
  UUID readStoreId(List<String> problems) throws IOException {
    Files.deleteIfExists(path.resolve(STORE_ID_FILE + ".tmp"));
    try {
      return UUID.fromString(
          Files.readString(path.resolve(STORE_ID_FILE), StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | IllegalArgumentException e) {
      problems.add(STORE_ID_FILE + " is unreadable (" + e + "); taken from the segments");
      return null;
    }
  }

  void writeStoreId(UUID id) throws IOException {
    Path tmp = path.resolve(STORE_ID_FILE + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    }
    try {
      Files.move(
          tmp,
          path.resolve(STORE_ID_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, path.resolve(STORE_ID_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    force();
  }

  /** Forces the directory's entries (created, renamed, deleted files) to disk. */
  void force() {
    try (FileChannel d = FileChannel.open(path, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms cannot force a directory; the files themselves are forced
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
