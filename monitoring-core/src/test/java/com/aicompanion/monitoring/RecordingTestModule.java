package com.aicompanion.monitoring;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A module found through the real ServiceLoader file of the test classpath. It does nothing unless
 * a test sets {@code test.modules}; then it plays the parts listed there ({@code a,b}), each
 * recording what happens to it in {@link #EVENTS} under the service name.
 */
public final class RecordingTestModule implements MonitoringModule {
  static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "recording-test";
  }

  @Override
  public int order() {
    return 50;
  }

  static final ConfigKey<String> MODULES =
      ConfigKey.string("test.modules", "", "Comma-separated parts the test module starts");
  static final ConfigKey<String> FAIL = ConfigKey.string("test.fail", "", "The part that fails");
  static final ConfigKey<String> HANG = ConfigKey.string("test.hang", "", "The part that hangs");
  static final ConfigKey<Boolean> DRAIN =
      ConfigKey.bool("test.drain", false, "Whether the test module serves a readiness route");

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(MODULES, FAIL, HANG, DRAIN);
  }

  @Override
  public void start(MonitoringContext context) {
    MonitoringConfig config = context.config();
    String parts = config.get(MODULES);
    if (parts.isEmpty()) {
      return;
    }
    List<String> events =
        EVENTS.computeIfAbsent(config.serviceName(), k -> new CopyOnWriteArrayList<>());
    for (String part : parts.split(",")) {
      if (part.equals(config.get(FAIL))) {
        throw new MonitoringException("TEST_FAIL=" + part + " makes this part fail");
      }
      events.add("start " + part);
      context.onClose(
          part,
          () -> {
            if (part.equals(config.get(HANG))) {
              new CountDownLatch(1).await();
            }
            events.add("close " + part);
          });
    }
    context.publish(StringBuilder.class, new StringBuilder("published by " + name()));
    context.route(
        "/test-route",
        EndpointAccess.PUBLIC,
        (exchange, authorized) -> {
          byte[] body = ("authorized=" + authorized).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        });
    if (config.get(DRAIN)) {
      // a readiness route as monitoring-health serves it: 503 once close() begins draining
      java.util.concurrent.atomic.AtomicBoolean draining =
          new java.util.concurrent.atomic.AtomicBoolean();
      context.onDrain(() -> draining.set(true));
      context.onDrain(
          () -> {
            throw new IllegalStateException("a drain action that fails does not stop the others");
          });
      context.route(
          "/test-ready",
          EndpointAccess.PUBLIC,
          (exchange, authorized) -> exchange.sendResponseHeaders(draining.get() ? 503 : 200, -1));
    }
    // 64 MiB, more than any socket buffer holds: a client that does not read blocks the writer
    context.route(
        "/test-large",
        EndpointAccess.PUBLIC,
        (exchange, authorized) -> {
          byte[] chunk = new byte[64 * 1024];
          exchange.sendResponseHeaders(200, 1024L * chunk.length);
          for (int i = 0; i < 1024; i++) {
            exchange.getResponseBody().write(chunk);
          }
        });
  }
}
