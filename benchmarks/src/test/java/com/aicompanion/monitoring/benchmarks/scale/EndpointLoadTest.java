package com.aicompanion.monitoring.benchmarks.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicompanion.monitoring.testsupport.ExternalTool;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointLoadTest {
  @Test
  void parsesRequestsLatencyAndNon2xxFromRealWrkOutput() throws Exception {
    Path wrk = ExternalTool.require("wrk", "wrk");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/fail",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    try {
      Process process =
          new ProcessBuilder(
                  wrk.toString(),
                  "-t1",
                  "-c4",
                  "-d1s",
                  "--latency",
                  "http://127.0.0.1:" + server.getAddress().getPort() + "/fail")
              .redirectErrorStream(true)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Map<String, Object> row = EndpointLoad.parse(out);

      assertThat((long) row.get("requests")).isPositive();
      assertThat(row.get("non_2xx")).isEqualTo(row.get("requests"));
      assertThat((double) row.get("p99_ms")).isGreaterThanOrEqualTo((double) row.get("p50_ms"));
      assertThat((double) row.get("requests_per_s")).isPositive();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void convertsMicrosecondsAndSecondsToMilliseconds() throws IOException {
    String out =
        "  Latency Distribution\n     50%  250.00us\n     75%    1.50ms\n     90%    2.00s\n"
            + "     99%    3.00s\n  10 requests in 1.00s, 1.00KB read\n"
            + "  Socket errors: connect 1, read 2, write 3, timeout 4\nRequests/sec:     10.00\n";

    Map<String, Object> row = EndpointLoad.parse(out);

    assertThat(row).containsEntry("p50_ms", 0.25).containsEntry("p75_ms", 1.5);
    assertThat(row).containsEntry("p99_ms", 3000.0).containsEntry("socket_errors", 10L);
    assertThat(row).containsEntry("non_2xx", 0L).containsEntry("requests", 10L);
  }
}
