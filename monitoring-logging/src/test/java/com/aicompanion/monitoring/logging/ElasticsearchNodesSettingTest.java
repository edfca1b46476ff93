package com.aicompanion.monitoring.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import com.aicompanion.monitoring.ConfigKey;
import com.aicompanion.monitoring.MonitoringException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code elasticsearch.url} as a list of cluster nodes: the rule at set-up (each an http(s) URL,
 * one scheme, none twice, no empty entry), with the value, the rule and the fix in the message, for
 * {@link JsonLogging} and for {@link ElasticsearchLogAppender}'s {@code url}.
 */
class ElasticsearchNodesSettingTest {

  @Test
  void aListIsReadInOrder() {
    assertThat(ConfigKey.httpUrls(" http://es1:9200 ,http://es2:9200/,HTTP://es3:9200"))
        .containsExactly(
            URI.create("http://es1:9200"),
            URI.create("http://es2:9200/"),
            URI.create("HTTP://es3:9200"));
    assertThat(ConfigKey.httpUrls("https://es:9200"))
        .containsExactly(URI.create("https://es:9200"));
  }

  @Test
  void badListsFailTheInstallNamingTheValueTheRuleAndTheFix() {
    assertThat(error("http://es1:9200,ftp://es2:9200"))
        .isEqualTo(
            "config(\"elasticsearch.url\", \"http://es1:9200,ftp://es2:9200\") has the entry 'ftp://es2:9200',"
                + " which is not an http(s) URL: write every node as an http(s) URL, e.g."
                + " http://es1:9200,http://es2:9200");
    assertThat(error("http://es1:9200,https://es2:9200"))
        .contains("mixes the schemes http (http://es1:9200) and https (https://es2:9200)")
        .contains("use one scheme for all, e.g. https://es1:9200,https://es2:9200");
    assertThat(error("http://es1:9200,,http://es2:9200"))
        .contains("has an empty entry between commas")
        .contains("e.g. http://es1:9200,http://es2:9200");
    assertThat(error("http://es1:9200,")).as("a trailing comma").contains("has an empty entry");
    assertThat(error("http://es1:9200,http://es1:9200"))
        .endsWith("lists http://es1:9200 twice: list each node once");
    assertThat(error("http://elastic:s3cret@es1:9200,es2:9200"))
        .as("the password of a URL stays out of the message")
        .doesNotContain("s3cret");
    assertThat(error("es:9200"))
        .as("one value: the message it always had")
        .isEqualTo(
            "config(\"elasticsearch.url\", \"es:9200\") is not an http(s) URL: use e.g. http://localhost:9200");
  }

  @Test
  void theBuilderTakesTheNodesAsAList() {
    assertThatThrownBy(
            () ->
                JsonLogging.builder("nodes-svc")
                    .registerGlobal(false)
                    .output(OutputStream.nullOutputStream())
                    .elasticsearch(
                        List.of(URI.create("http://es1:9200"), URI.create("https://es2:9200")))
                    .install()
                    .close())
        .isInstanceOf(MonitoringException.class)
        .hasMessageContaining("mixes the schemes");
  }

  @Test
  void theLogbackAppenderReportsABadListAndDoesNotStart() {
    LoggerContext context = new LoggerContext();
    ElasticsearchLogAppender appender = new ElasticsearchLogAppender();
    appender.setContext(context);
    appender.setName("ES");
    appender.setServiceName("nodes-svc");
    appender.setUrl("http://es1:9200, https://es2:9200");
    appender.start();
    assertThat(appender.isStarted()).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .extracting(Status::getMessage)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith(
                        "ElasticsearchLogAppender 'ES': property url is 'http://es1:9200,"
                            + " https://es2:9200', which mixes the schemes http"));
    context.stop();
  }

  private static String error(String value) {
    JsonLogging.Builder builder =
        JsonLogging.builder("nodes-svc")
            .registerGlobal(false)
            .output(OutputStream.nullOutputStream())
            .config("elasticsearch.url", value);
    try {
      builder.install().close();
    } catch (MonitoringException e) {
      return e.getMessage();
    }
    throw new AssertionError("installed with elasticsearch.url=" + value);
  }
}
