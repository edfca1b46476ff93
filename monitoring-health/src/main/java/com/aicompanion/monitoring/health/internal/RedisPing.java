package com.aicompanion.monitoring.health.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Speaks just enough RESP (the Redis protocol) over a plain socket to answer "is Redis there":
 * optional {@code AUTH password}, then {@code PING}, expecting {@code +PONG}. Connect and read
 * timeouts bound every step; the password never appears in errors.
 */
public final class RedisPing {
  private static final int MAX_LINE = 4096;

  private RedisPing() {}

  /**
   * Connects, authenticates if {@code password} is not null, pings and closes, all within {@code
   * timeout}: connecting and every read share one deadline.
   *
   * @throws IOException when Redis is unreachable, slow ({@code Redis at host:port did not answer
   *     PING within 900ms}), or answers anything but {@code +OK} / {@code +PONG} (the error line
   *     Redis sent is in the message, e.g. {@code NOAUTH ...})
   */
  public static void ping(String host, int port, String password, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(host, port), remainingMillis(deadline, host, port, "connect"));
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        out.write(command("AUTH", password));
        out.flush();
        expect(answer(socket, in, deadline, host, port, "AUTH"), "+OK", "AUTH");
      }
      out.write(command("PING"));
      out.flush();
      expect(answer(socket, in, deadline, host, port, "PING"), "+PONG", "PING");
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException(
          "Redis at "
              + host
              + ":"
              + port
              + " did not answer within "
              + timeout.toMillis()
              + "ms ("
              + e.getMessage()
              + ")");
    }
  }

  private static String answer(
      Socket socket, InputStream in, long deadline, String host, int port, String command)
      throws IOException {
    socket.setSoTimeout(remainingMillis(deadline, host, port, command));
    return readLine(in, deadline);
  }

  private static int remainingMillis(long deadline, String host, int port, String step)
      throws SocketTimeoutException {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("no time left before " + step);
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  /** A command as a RESP array of bulk strings. */
  static byte[] command(String... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(bytes, "*" + parts.length + "\r\n");
    for (String part : parts) {
      byte[] data = part.getBytes(StandardCharsets.UTF_8);
      write(bytes, "$" + data.length + "\r\n");
      bytes.writeBytes(data);
      write(bytes, "\r\n");
    }
    return bytes.toByteArray();
  }

  private static void write(ByteArrayOutputStream bytes, String text) {
    bytes.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static void expect(String line, String expected, String command) throws IOException {
    if (!line.equals(expected)) {
      String shown = line.startsWith("-") ? line.substring(1) : "unexpected answer " + line;
      throw new IOException("Redis answered " + command + " with " + shown);
    }
  }

  /** One CRLF-terminated line of at most {@value #MAX_LINE} bytes, read before {@code deadline}. */
  static String readLine(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("Redis answered a line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
      previous = b;
      if (System.nanoTime() - deadline > 0) {
        throw new SocketTimeoutException("the answer trickled in past the deadline");
      }
    }
  }
}
