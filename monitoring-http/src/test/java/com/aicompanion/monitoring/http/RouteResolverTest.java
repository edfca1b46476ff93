package com.aicompanion.monitoring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicompanion.monitoring.http.internal.UriFolding;
import org.junit.jupiter.api.Test;

class RouteResolverTest {
  private final RouteResolver routes =
      RouteResolver.templates("/", "/chat", "/conversations/{id}", "/files/{path...}");

  @Test
  void templatesMatchWholeSegmentsInOrder() {
    assertThat(routes.route("/")).isEqualTo("/");
    assertThat(routes.route("/chat")).isEqualTo("/chat");
    assertThat(routes.route("/chat/")).isNull();
    assertThat(routes.route("/chats")).isNull();
    assertThat(routes.route("/conversations/c-17")).isEqualTo("/conversations/{id}");
    assertThat(routes.route("/conversations/")).isNull();
    assertThat(routes.route("/conversations/a/b")).isNull();
    assertThat(routes.route("/files/a/b/c.txt")).isEqualTo("/files/{path...}");
    assertThat(routes.route("/files")).isNull();
    assertThat(routes.route("")).isNull();
  }

  @Test
  void aMalformedTemplateIsRefusedNamingIt() {
    assertThatThrownBy(() -> RouteResolver.templates("chat"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"chat\" must start with '/'");
    assertThatThrownBy(() -> RouteResolver.templates("/a/{id"))
        .hasMessageContaining("segment \"{id\"");
    assertThatThrownBy(() -> RouteResolver.templates("/a/{rest...}/b"))
        .hasMessageContaining("must come last");
  }

  @Test
  void theClientFoldsIdLikeSegmentsOnly() {
    assertThat(UriFolding.template("/v1/chat/completions")).isEqualTo("/v1/chat/completions");
    assertThat(UriFolding.template("/users/12345/orders/7")).isEqualTo("/users/{id}/orders/{id}");
    assertThat(UriFolding.template("/c/3f2b8c1e-9d4a-4b8e-a1f0-2c3d4e5f6a7b")).isEqualTo("/c/{id}");
    assertThat(UriFolding.template("/models/gpt-4o")).isEqualTo("/models/gpt-4o");
    assertThat(UriFolding.template("")).isEqualTo("/");
  }
}
