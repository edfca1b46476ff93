package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
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

  static void reportUnknownKeys(MonitoringConfig config, Collection<MonitoringModule> modules) {
    Set<String> moduleKeys = new HashSet<>();
    modules.forEach(m -> moduleKeys.addAll(m.configKeys()));
    ConfigLoader.unknownKeyWarnings(config.values(), moduleKeys).forEach(LOG::warn);
  }

  /** The Implementation-Version of the jar whose code called start(), when it has one. */
  static String callerVersion() {
    String version =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> !c.getName().startsWith(Monitoring.class.getName()))
                        .findFirst()
                        .map(
                            c ->
                                c.getPackage() == null
                                    ? null
                                    : c.getPackage().getImplementationVersion())
                        .orElse(null));
    return version == null || version.isBlank() ? "unknown" : version;
  }

  /** {@code prices} plus the lines of {@code MONITORING_LLM_PRICES_FILE}, when set. */
  static LlmPrices pricesWithFile(LlmPrices prices, MonitoringConfig config) {
    String file = config.get("llm.prices.file").orElse(null);
    if (file == null) {
      return prices;
    }
    try {
      return prices.withFile(Path.of(file));
    } catch (IOException e) {
      throw new MonitoringException(
          config.describe("llm.prices.file")
              + " cannot be read ("
              + e
              + "); point it at a readable prices file",
          e);
    } catch (IllegalArgumentException e) {
      throw new MonitoringException(config.describe("llm.prices.file") + ": " + e.getMessage(), e);
    }
  }
}
