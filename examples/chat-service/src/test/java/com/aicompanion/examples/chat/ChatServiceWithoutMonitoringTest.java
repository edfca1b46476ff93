package com.aicompanion.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code CHAT_MONITORING=off}: the same API over real HTTP on loopback, with no {@code Monitoring}
 * at all (what the request-cost harness measures as its baseline).
 */
class ChatServiceWithoutMonitoringTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ChatApplication app;

  @BeforeAll
  static void start() throws Exception {
    app =
        ChatApplication.startWithoutMonitoring(
            ChatSettings.forTests(Map.of("CHAT_SIM_ERROR_RATE", "0")));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersStreamsAndRemembersWithoutMonitoring() throws Exception {
    HttpResponse<String> answer = post("{\"conversation_id\":\"off-1\",\"message\":\"Hello\"}");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"cached\":false", "\"trace_id\":\"\"");
    HttpResponse<String> streamed =
        post("{\"conversation_id\":\"off-1\",\"message\":\"Hello\",\"stream\":true}");
    assertThat(streamed.body()).startsWith("data: {\"delta\":").endsWith("data: [DONE]\n\n");
    assertThat(get("/conversations/off-1").body()).contains("\"content\":\"Hello\"");
    assertThat(get("/conversations/never-seen").statusCode()).isEqualTo(404);
    assertThat(get("/no/such/route").statusCode()).isEqualTo(404);
    assertThat(app.budgetAlertFiring()).isFalse();
  }

  @Test
  void monitoringSwitchIsOnByDefaultAndNamesABadValue() {
    assertThat(ChatServiceApp.monitoringOn(null)).isTrue();
    assertThat(ChatServiceApp.monitoringOn(" ")).isTrue();
    assertThat(ChatServiceApp.monitoringOn("ON")).isTrue();
    assertThat(ChatServiceApp.monitoringOn("off")).isFalse();
    assertThatThrownBy(() -> ChatServiceApp.monitoringOn("no"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CHAT_MONITORING=no")
        .hasMessageContaining("on, off");
  }

  @Test
  void nagleIsTurnedOffForTheJdkServerUnlessTheOperatorChose() {
    java.util.Properties unset = new java.util.Properties();
    ChatServiceApp.preferNoDelay(unset);
    assertThat(unset.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");

    java.util.Properties chosen = new java.util.Properties();
    chosen.setProperty("sun.net.httpserver.nodelay", "false");
    ChatServiceApp.preferNoDelay(chosen);
    assertThat(chosen.getProperty("sun.net.httpserver.nodelay")).isEqualTo("false");
  }

  private static HttpResponse<String> post(String json) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/chat"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
