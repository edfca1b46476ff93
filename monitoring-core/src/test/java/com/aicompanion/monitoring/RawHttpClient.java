package com.aicompanion.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends raw bytes to the endpoint server and reports its status code, or that it closed. */
final class RawHttpClient {
  /**
   * What the server did: {@code status} is the HTTP status, or -1 when it closed the connection.
   */
  record Answer(int status, Duration elapsed) {
    boolean refused() {
      return status == -1 || (status >= 400 && status < 500);
    }
  }

  private RawHttpClient() {}

  /**
   * Writes {@code request} and waits at most {@code bound} for a status line or the end of the
   * connection.
   *
   * @throws AssertionError when the server neither answers nor closes within {@code bound}
   */
  static Answer send(int port, byte[] request, Duration bound) throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout((int) bound.toMillis());
      try {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // the server closed while we were still writing, e.g. past its header limit
        return new Answer(-1, since(start));
      }
      return new Answer(readStatus(socket.getInputStream(), bound), since(start));
    }
  }

  /** The status of the first response line, or -1 when the connection ends (or is reset) first. */
  static int readStatus(InputStream in, Duration bound) throws IOException {
    StringBuilder line = new StringBuilder();
    try {
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        line.append((char) b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server neither answered nor closed the connection within " + bound, e);
    } catch (IOException e) {
      return -1; // reset by the server
    }
    String text = line.toString();
    if (!text.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(text.substring(9, 12));
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
