package com.aicompanion.monitoring.tracing.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Whether anything accepts a TCP connection at the collector's address, tried once per resolved
 * address within one deadline. Used at shutdown only: the OTLP exporter retries a refused
 * connection for seconds, which a closing application must not wait for.
 *
 * <pre>{@code
 * boolean up = CollectorProbe.reachable("http://localhost:4317", Duration.ofMillis(500));
 * }</pre>
 */
final class CollectorProbe {
  private CollectorProbe() {}

  /**
   * @param endpoint an {@code http(s)://host[:port][/path]} URL; without a port, 80 or 443
   * @param timeout the most time spent, DNS excluded
   */
  static boolean reachable(String endpoint, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (IOException e) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (InetAddress address : addresses) {
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis < 1) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), (int) leftMillis);
        return true;
      } catch (IOException e) {
        // refused or timed out: try the next address
      }
    }
    return false;
  }
}
