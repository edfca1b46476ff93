package com.aicompanion.monitoring;

import static com.aicompanion.monitoring.RawHttpClient.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile clients on raw sockets against a real {@link Monitoring} on 127.0.0.1: each
 * is answered with a 4xx or closed within a stated bound, and {@code GET /metrics} keeps answering
 * 200 within {@link #SCRAPE_BOUND} throughout and afterwards.
 */
class EndpointMalformedInputTest {
  /** A refusal the server can give at once. */
  private static final Duration QUICK = Duration.ofSeconds(5);

  /** The endpoint server's request limit (10 s) + its watchdog's tick (1 s) + slack. */
  private static final Duration STALL_BOUND = Duration.ofSeconds(15);

  /**
   * A connection that never sends a byte holds no thread; the JDK's idle sweep closes it: idle
   * interval (30 s) + sweep period (10 s) + slack. No JVM-wide property shortens it any more.
   */
  private static final Duration IDLE_BOUND = Duration.ofSeconds(45);

  private static final Duration SCRAPE_BOUND = Duration.ofSeconds(3);
  private static final int IDLE_CONNECTIONS = 2_000;
  private static final int STALLED_CLIENTS = 8;

  private static Monitoring monitoring;
  private static int port;

  @BeforeAll
  static void start() {
    monitoring = TestMonitoring.builder("malformed-input").start();
    port = monitoring.metricsAddress().getPort();
  }

  @AfterAll
  static void stop() {
    monitoring.close();
  }

  @Test
  void hundredKibOfHeadersIsRefusedQuickly() throws IOException {
    StringBuilder request = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    String value = "x".repeat(2_000);
    for (int i = 0; i < 50; i++) {
      request.append("X-Filler-").append(i).append(": ").append(value).append("\r\n");
    }
    request.append("\r\n");
    assertThat(request.length()).isGreaterThan(100_000);

    RawHttpClient.Answer answer = RawHttpClient.send(port, ascii(request.toString()), QUICK);

    assertThat(answer.refused()).as("status %s", answer.status()).isTrue();
    assertScrapeAnswers();
  }

  @Test
  void tooManyHeaderLinesAreRefusedQuickly() throws IOException {
    StringBuilder request = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 1_000; i++) {
      request.append("X-Line-").append(i).append(": 1\r\n");
    }
    request.append("\r\n");

    RawHttpClient.Answer answer = RawHttpClient.send(port, ascii(request.toString()), QUICK);

    assertThat(answer.refused()).as("status %s", answer.status()).isTrue();
    assertScrapeAnswers();
  }

  @Test
  void sixtyFourKibPathIsRefusedQuickly() throws IOException {
    String path = "/metrics/" + "a".repeat(64 * 1024);

    RawHttpClient.Answer answer =
        RawHttpClient.send(port, ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"), QUICK);

    assertThat(answer.refused()).as("status %s", answer.status()).isTrue();
    assertScrapeAnswers();
  }

  @Test
  void fourMibRequestLineIsRefusedQuickly() throws IOException {
    String path = "/" + "b".repeat(4 * 1024 * 1024);

    RawHttpClient.Answer answer =
        RawHttpClient.send(port, ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"), QUICK);

    assertThat(answer.refused()).as("status %s", answer.status()).isTrue();
    assertScrapeAnswers();
  }

  @Test
  void unknownMethodGets405WithAllow() throws IOException {
    RawHttpClient.Answer answer =
        RawHttpClient.send(
            port, ascii("BREW /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), QUICK);

    assertThat(answer.status()).isEqualTo(405);
    assertScrapeAnswers();
  }

  @Test
  void randomBinaryIsRefusedQuickly() throws IOException {
    byte[] garbage = new byte[8 * 1024];
    new Random(8).nextBytes(garbage);
    byte[] request = new byte[garbage.length + 4];
    System.arraycopy(garbage, 0, request, 0, garbage.length);
    System.arraycopy(ascii("\r\n\r\n"), 0, request, garbage.length, 4);

    RawHttpClient.Answer answer = RawHttpClient.send(port, request, QUICK);

    assertThat(answer.refused()).as("status %s", answer.status()).isTrue();
    assertScrapeAnswers();
  }

  @Test
  void stalledTlsAndIdleClientsAreClosedWithinTheirBoundWhileScrapesGoOn() throws Exception {
    List<Duration> scrapes = new CopyOnWriteArrayList<>();
    try (Selector selector = Selector.open();
        Selector idleSelector = Selector.open()) {
      List<SocketChannel> channels = new ArrayList<>();
      List<SocketChannel> idle = new ArrayList<>();
      // half a request line, then nothing: a slowloris client holds a pool thread while it waits
      for (int i = 0; i < STALLED_CLIENTS; i++) {
        channels.add(open(selector, ascii("GET /metr")));
      }
      channels.add(open(selector, clientHello()));
      byte[] binary = new byte[512];
      new Random(42).nextBytes(binary);
      channels.add(open(selector, binary));
      for (int i = 0; i < IDLE_CONNECTIONS; i++) {
        idle.add(open(idleSelector, new byte[0]));
      }
      long opened = System.nanoTime();
      scrapes.add(timedScrape());

      List<Integer> statuses = new CopyOnWriteArrayList<>();
      await("every hostile connection answered or closed")
          .atMost(STALL_BOUND)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                collect(selector, statuses);
                scrapes.add(timedScrape());
                return statuses.size() == channels.size();
              });
      Duration allClosed = Duration.ofNanos(System.nanoTime() - opened);

      List<Integer> idleStatuses = new CopyOnWriteArrayList<>();
      await("every idle connection closed")
          .atMost(IDLE_BOUND)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                collect(idleSelector, idleStatuses);
                scrapes.add(timedScrape());
                return idleStatuses.size() == idle.size();
              });
      for (SocketChannel channel : channels) {
        channel.close();
      }
      for (SocketChannel channel : idle) {
        channel.close();
      }

      assertThat(statuses).allSatisfy(s -> assertThat(s == -1 || (s >= 400 && s < 500)).isTrue());
      assertThat(idleStatuses).containsOnly(-1);
      assertThat(allClosed).isLessThanOrEqualTo(STALL_BOUND);
    }
    scrapes.add(timedScrape());
    assertThat(scrapes)
        .hasSizeGreaterThan(2)
        .allSatisfy(d -> assertThat(d).isLessThan(SCRAPE_BOUND));
  }

  private static SocketChannel open(Selector selector, byte[] first) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    ByteBuffer buffer = ByteBuffer.wrap(first);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.configureBlocking(false);
    channel.register(selector, SelectionKey.OP_READ);
    return channel;
  }

  /** Records, for each channel that became readable, its status or -1 when it was closed. */
  private static void collect(Selector selector, List<Integer> statuses) throws IOException {
    selector.selectNow();
    for (SelectionKey key : selector.selectedKeys()) {
      SocketChannel channel = (SocketChannel) key.channel();
      ByteBuffer buffer = ByteBuffer.allocate(64);
      int read;
      try {
        read = channel.read(buffer);
      } catch (IOException reset) {
        read = -1;
      }
      String start =
          new String(
              buffer.array(), 0, Math.max(read, 0), java.nio.charset.StandardCharsets.ISO_8859_1);
      statuses.add(
          read > 12 && start.startsWith("HTTP/1.1 ")
              ? Integer.parseInt(start.substring(9, 12))
              : -1);
      key.cancel();
    }
    selector.selectedKeys().clear();
  }

  /** A real TLS ClientHello, as a client that mistook the plain port for HTTPS would send it. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", port);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    assertThat(hello[0]).as("TLS handshake record").isEqualTo((byte) 0x16);
    return hello;
  }

  private static Duration timedScrape() {
    long start = System.nanoTime();
    assertScrapeAnswers();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void assertScrapeAnswers() {
    HttpResponse<String> response =
        TestMonitoring.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(SCRAPE_BOUND)
                .build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("app_info");
  }
}
