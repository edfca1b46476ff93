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
 * {@code logger.info} on one application thread with JSON output and Elasticsearch shipping on,
 * while the Elasticsearch node is down (nothing listens on the port): the call must not block
 * (target: at least 150k events/s). Output goes to a discarding stream so that the terminal does
 * not dominate.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ShippingThroughputBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ShippingThroughputBenchmark {
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
  public void infoWithShippingOnAndNodeDown() {
    logger.info("answered conversation {} in {} ms", "c-1842", 840);
  }
}
