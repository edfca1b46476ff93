package com.aicompanion.monitoring.soak;

import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Runs a single-node OpenSearch in its own JVM, so that the soak's heap and thread figures are the
 * application's alone and a stop is a real process death.
 *
 * <pre>{@code
 * java -cp <test classpath> com.aicompanion.monitoring.soak.OpenSearchMain <home> <httpPort> <transportPort>
 * }</pre>
 */
final class OpenSearchMain {
  private OpenSearchMain() {}

  public static void main(String[] args) throws InterruptedException {
    String home = args[0];
    String httpPort = args[1];
    String transportPort = args[2];
    OpenSearchRunner runner = new OpenSearchRunner();
    runner.onBuild(
        (index, settings) ->
            settings
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", "false")
                .put("action.auto_create_index", "true"));
    runner.build(
        OpenSearchRunner.newConfigs()
            .basePath(home)
            .numOfNode(1)
            .clusterName("soak-" + httpPort)
            .printOnFailure());
    new CountDownLatch(1).await(); // until the test kills this process
  }
}
