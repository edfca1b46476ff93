package com.aicompanion.monitoring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 and a free port that records every request body and answers as
 * the test says ({@link #answer}): a status and a body per request. {@link #hang()} makes it accept
 * requests and never answer, until {@link #close()}.
 */
final class LoopbackReceiver implements AutoCloseable {
  /** One answer: an HTTP status and a body. */
  record Answer(int status, String body) {
    static Answer ok() {
      return new Answer(200, "");
    }
  }

  /** One request as received, with the time it arrived. */
  record Request(byte[] body, long nanos) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The records of a {@link LineSender} body: id and payload per line. */
    List<String[]> records() {
      List<String[]> records = new ArrayList<>();
      for (String line : text().split("\n")) {
        if (!line.isEmpty()) {
          records.add(line.split(" ", 2));
        }
      }
      return records;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Function<Request, Answer> answer = r -> Answer.ok();
  private volatile boolean hang;

  LoopbackReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          Request request = new Request(body, System.nanoTime());
          requests.add(request);
          if (hang) {
            try {
              released.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          Answer a = answer.apply(request);
          byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
  }

  LoopbackReceiver answer(Function<Request, Answer> answer) {
    this.answer = answer;
    return this;
  }

  /** Accepts every request and never answers it. */
  LoopbackReceiver hang() {
    this.hang = true;
    return this;
  }

  /** Forgets the requests received so far. */
  void clear() {
    requests.clear();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The payloads received, in arrival order (duplicates included). */
  List<String> payloads() {
    List<String> payloads = new ArrayList<>();
    for (Request r : requests) {
      for (String[] rec : r.records()) {
        payloads.add(rec.length > 1 ? rec[1] : "");
      }
    }
    return payloads;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
