package com.aicompanion.monitoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of {@link Monitoring.Builder#start()} that need no builder state. */
final class Startup {
  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

  private Startup() {}

  static List<MonitoringModule> discoverModules() {
    List<MonitoringModule> found = new ArrayList<>();
    ServiceLoader.load(MonitoringModule.class).forEach(found::add);
    found.sort(
        Comparator.comparingInt(MonitoringModule::order).thenComparing(MonitoringModule::name));
    return found;
  }

  /**
   * Logs the start-up warnings (unknown or doubly set keys) at WARN and empties {@code warnings},
   * so that calling it again logs nothing. {@code Monitoring.start} calls it once the modules up to
   * {@link MonitoringModule#ORDER_LOGGING} have started: the logging module then has Logback set
   * up, and the warnings come out as the service's own log lines (ECS JSON with its identity).
   */
  static void logWarnings(List<String> warnings) {
    warnings.forEach(LOG::warn);
    warnings.clear();
  }

  /** The keys every module declares. */
  static List<ConfigKey<?>> moduleKeys(Collection<MonitoringModule> modules) {
    List<ConfigKey<?>> keys = new ArrayList<>();
    modules.forEach(m -> keys.addAll(m.configKeys()));
    return keys;
  }

  /**
   * The Implementation-Version of the application: of the jar of the first class on the calling
   * stack that is neither this library's ({@code com.aicompanion.monitoring.*}, whichever jar or
   * folder it comes from) nor the JDK's nor a test runner's (JUnit, Surefire, jqwik); null when
   * that class has none (a classes folder, a jar without the manifest entry). Never the library's
   * own version.
   */
  static String applicationVersion() {
    String version =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> !isLibraryOrJdk(c.getName()))
                        .findFirst()
                        .map(
                            c ->
                                c.getPackage() == null
                                    ? null
                                    : c.getPackage().getImplementationVersion())
                        .orElse(null));
    return version == null || version.isBlank() ? null : version;
  }

  private static boolean isLibraryOrJdk(String className) {
    return className.startsWith("com.aicompanion.monitoring.")
        || className.startsWith("java.")
        || className.startsWith("javax.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.")
        // test runners call the application's tests, never its main(): their versions are not it
        || className.startsWith("org.junit.")
        || className.startsWith("org.apache.maven.surefire.")
        || className.startsWith("net.jqwik.");
  }

  /** {@code prices} plus the lines of {@code MONITORING_LLM_PRICES_FILE}, when set. */
  static LlmPrices pricesWithFile(LlmPrices prices, MonitoringConfig config) {
    String file = config.find(MonitoringConfig.LLM_PRICES_FILE).orElse(null);
    if (file == null) {
      return prices;
    }
    try {
      return prices.withFile(Path.of(file));
    } catch (IOException e) {
      throw new MonitoringException(
          config.describe(MonitoringConfig.LLM_PRICES_FILE)
              + " cannot be read ("
              + e
              + "); point it at a readable prices file",
          e);
    } catch (IllegalArgumentException e) {
      throw new MonitoringException(
          config.describe(MonitoringConfig.LLM_PRICES_FILE) + ": " + e.getMessage(), e);
    }
  }
}
