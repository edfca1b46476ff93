package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.read.ListAppender;
import com.aicompanion.monitoring.Monitoring;
import com.aicompanion.monitoring.logging.internal.LogbackSetup;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An application configured Logback with its own XML before the library is installed: its appenders
 * and levels stay. The XML is loaded into the SLF4J-bound context by Logback's JoranConfigurator
 * and undone after each test, so other tests see a context without it.
 */
class ExistingLogbackXmlTest {
  private LoggerContext context;
  private Monitoring monitoring;
  private JsonLogging logging;

  @BeforeEach
  void loadApplicationXml() throws Exception {
    context = LogbackSetup.loggerContext();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback-kept-example.xml"));
  }

  @AfterEach
  void undoApplicationXml() {
    if (monitoring != null) {
      monitoring.close();
    }
    if (logging != null) {
      logging.close();
    }
    context.reset();
    context.removeObject(CoreConstants.CONFIGURATION_WATCH_LIST);
    context.removeObject(CoreConstants.SAFE_JORAN_CONFIGURATION);
  }

  @SuppressWarnings("unchecked")
  private ListAppender<ILoggingEvent> applicationAppender() {
    Appender<ILoggingEvent> appender = root().getAppender("APP-LIST");
    assertThat(appender).as("the XML's appender is still attached").isNotNull();
    return (ListAppender<ILoggingEvent>) appender;
  }

  private Logger root() {
    return context.getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private List<String> rootAppenderNames() {
    List<String> names = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root().iteratorForAppenders(); it.hasNext(); ) {
      names.add(it.next().getName());
    }
    return names;
  }

  @Test
  void jsonLoggingAloneKeepsTheXmlAppendersAndLevels() {
    logging = JsonLogging.builder("kept-svc").level("DEBUG").install();

    assertThat(logging.keptFileConfiguration()).isTrue();
    assertThat(rootAppenderNames()).containsExactly("APP-LIST");
    assertThat(root().getLevel()).isEqualTo(Level.INFO);
    LoggerFactory.getLogger("com.example.kept.Quiet").info("hidden by the XML level");
    LoggerFactory.getLogger("com.example.kept.Service").info("reaches the XML appender");
    assertThat(applicationAppender().list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains("reaches the XML appender")
        .doesNotContain("hidden by the XML level")
        .anySatisfy(m -> assertThat(m).contains("logback.xml kept"));
  }

  @Test
  void monitoringStartKeepsTheXmlAppendersAndLevels() {
    monitoring = Monitoring.builder("kept-svc").metricsHost("127.0.0.1").metricsPort(0).start();

    assertThat(monitoring.get(JsonLogging.class).keptFileConfiguration()).isTrue();
    assertThat(rootAppenderNames()).containsExactly("APP-LIST");
    LoggerFactory.getLogger("com.example.kept.Service").warn("through monitoring");
    assertThat(applicationAppender().list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains("through monitoring");
  }
}
