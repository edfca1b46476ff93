package com.aicompanion.monitoring.health.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
   * Connects, authenticates if {@code password} is not null, pings and closes.
   *
   * @throws IOException when Redis is unreachable, slow, or answers anything but {@code +OK} /
   *     {@code +PONG} (the error line Redis sent is in the message, e.g. {@code NOAUTH ...})
   */
  public static void ping(String host, int port, String password, Duration timeout)
      throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        out.write(command("AUTH", password));
        out.flush();
        expect(readLine(in), "+OK", "AUTH");
      }
      out.write(command("PING"));
      out.flush();
      expect(readLine(in), "+PONG", "PING");
    }
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

  /** One CRLF-terminated line of at most {@value #MAX_LINE} bytes. */
  static String readLine(InputStream in) throws IOException {
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
    }
  }
}
