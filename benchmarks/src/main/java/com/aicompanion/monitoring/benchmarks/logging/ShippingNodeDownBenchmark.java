package com.aicompanion.monitoring.benchmarks.logging;

import com.aicompanion.monitoring.logging.JsonLogging;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "never blocks" check: {@code logger.info} on one application thread with JSON output and
 * Elasticsearch shipping on while the node is down (nothing listens on the port) must not block or
 * slow down (target: at least 150k events/s). With the node down the shipper's queue is full and
 * most events are dropped and counted, so the figure is the speed of offering and dropping, not of
 * shipping; the shipping rates with a live node are measured by {@code shipping.ShippingRates}.
 * Output goes to a discarding stream so that the terminal does not dominate. (Named {@code
 * ShippingThroughputBenchmark.infoWithShippingOnAndNodeDown} before issue 13.)
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ShippingNodeDownBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ShippingNodeDownBenchmark {
  private JsonLogging logging;
  private Logger logger;

  @Setup
  public void setUp() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    logging =
        JsonLogging.builder("bench")
            .output(OutputStream.nullOutputStream())
            .elasticsearch(URI.create("http://127.0.0.1:" + deadPort))
            .config("log.close.timeout", "1s")
            .install();
    logger = LoggerFactory.getLogger("com.example.chat.ChatService");
  }

  @TearDown
  public void tearDown() {
    logging.close();
  }

  @Benchmark
  public void infoNeverBlocksWhileNodeDown() {
    logger.info("answered conversation {} in {} ms", "c-1842", 840);
  }
}
