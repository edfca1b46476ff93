package com.aicompanion.monitoring.benchmarks.shipping;

import com.aicompanion.monitoring.testsupport.opensearch.OpenSearchNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The OpenSearch node of {@link ShippingRates}, in a JVM of its own: starts test-support's {@link
 * OpenSearchNode} (127.0.0.1, free ports, a temporary directory), writes its HTTP port to {@code
 * <port file>} once the cluster is yellow, and stops the node and deletes its directory when its
 * standard input ends (the harness closes it, or exits).
 *
 * <pre>{@code
 * java -Xmx1g -cp benchmarks/target/test-classes:$(cat benchmarks/target/test-classpath.txt) \
 *     com.aicompanion.monitoring.benchmarks.shipping.OpenSearchNodeMain /tmp/port
 * }</pre>
 *
 * <p>It lives in the test classes because test-support (and OpenSearch with its protobuf 3) is on
 * the test classpath only: the benchmarks jar stays free of it.
 */
public final class OpenSearchNodeMain {
  private OpenSearchNodeMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: OpenSearchNodeMain <port file>");
    }
    Path portFile = Path.of(args[0]);
    try (OpenSearchNode node = OpenSearchNode.start()) {
      Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
      Files.writeString(partial, Integer.toString(node.httpPort()), StandardCharsets.US_ASCII);
      Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
      // until the harness closes our standard input or dies
      while (System.in.read() >= 0) {
        // nothing is sent; reading only waits for the end of the stream
      }
    }
    System.exit(0);
  }
}
