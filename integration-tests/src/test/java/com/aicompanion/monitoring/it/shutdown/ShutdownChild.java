package com.aicompanion.monitoring.it.shutdown;

import com.aicompanion.monitoring.Monitoring;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link GracefulShutdownTest}: an application with every module that has its own
 * shutdown hook, which drains for 1 s and then logs. With the argument {@code own-hook} it disables
 * the library's hook and calls {@code close()} as its hook's last step.
 */
public final class ShutdownChild {
  static final String APP_LAST_LINE = "application hook drained its requests";
  static final Duration DRAIN = Duration.ofSeconds(3);

  private ShutdownChild() {}

  public static void main(String[] args) throws InterruptedException {
    boolean ownHook = args.length > 0 && args[0].equals("own-hook");
    Monitoring monitoring =
        Monitoring.builder("shutdown-child")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .shutdownDrain(DRAIN)
            .shutdownHook(!ownHook)
            .config("tracing.enabled", "false")
            .start();
    Logger log = LoggerFactory.getLogger("app");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  log.info(APP_LAST_LINE);
                  if (ownHook) {
                    monitoring.close();
                  }
                },
                "app-shutdown"));
    System.out.println("PORT " + monitoring.metricsAddress().getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
