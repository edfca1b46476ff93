package com.aicompanion.monitoring.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a real server that can stop forwarding: a frozen connection
 * stays open but its bytes, both ways, are read and dropped, like a connection behind a dead
 * firewall or a half-dead peer. The server itself stays healthy for every other client.
 *
 * <pre>{@code
 * try (TcpRelay relay = TcpRelay.start(postgres.port())) {
 *   relay.freezeOpenConnections();   // the pool's connections go silent; new ones work
 * }
 * }</pre>
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private volatile boolean swallowNew;

  private TcpRelay(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  static TcpRelay start(int targetPort) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpRelay relay = new TcpRelay(server, targetPort);
      thread("relay-accept", relay::acceptLoop);
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every open connection drops its bytes from now on; connections opened later forward. */
  void freezeOpenConnections() {
    links.forEach(link -> link.frozen = true);
  }

  /** Every open connection and every new one drops its bytes until {@link #resumeForwarding()}. */
  void stopForwarding() {
    swallowNew = true;
    freezeOpenConnections();
  }

  /** New connections forward again; frozen ones stay frozen (their byte stream is broken). */
  void resumeForwarding() {
    swallowNew = false;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    links.forEach(Link::close);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        Link link = new Link(client, upstream, swallowNew);
        links.add(link);
        thread("relay-up", () -> link.pump(client, upstream));
        thread("relay-down", () -> link.pump(upstream, client));
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection closed
      }
    }
  }

  private static void thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private static final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean frozen;

    Link(Socket client, Socket upstream, boolean frozen) {
      this.client = client;
      this.upstream = upstream;
      this.frozen = frozen;
    }

    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!frozen) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed
      }
      close();
    }

    void close() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        upstream.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
