package com.aicompanion.monitoring.health;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The transport-neutral part of {@link HealthHttpHandler} and {@link HealthServlet}: which report a
 * path asks for, whether this caller sees details, and the answer's status and body.
 */
final class HealthResponder {
  /** One answer; {@code body} is empty for HEAD. */
  record Answer(int status, String contentType, byte[] body, boolean methodNotAllowed) {}

  private static final byte[] NOT_FOUND =
      "Not Found: use /health, /health/live or /health/ready\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_ALLOWED =
      "Method Not Allowed: use GET or HEAD\n".getBytes(StandardCharsets.UTF_8);

  private final HealthRegistry registry;
  private final HealthDetails details;
  private final byte[] tokenDigest;

  HealthResponder(HealthRegistry registry, HealthDetails details, String token) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.details = Objects.requireNonNull(details, "details");
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException(
          "health details token \""
              + token
              + "\" is blank; pass null for no token (then AUTHORIZED shows details to nobody),"
              + " or the secret that callers send as Authorization: Bearer <token>");
    }
    this.tokenDigest = token == null ? null : sha256(token);
  }

  /**
   * @param method the HTTP method
   * @param subPath the path below the mount point: empty or {@code /} for all checks, {@code
   *     /live}, {@code /ready}
   * @param authorization the {@code Authorization} header, or null
   */
  Answer answer(String method, String subPath, String authorization) {
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      return new Answer(405, "text/plain; charset=utf-8", NOT_ALLOWED, true);
    }
    HealthReport report;
    String path = subPath == null ? "" : subPath;
    switch (path) {
      case "", "/" -> report = registry.check();
      case "/live", "/live/" -> report = registry.check(CheckOptions.Group.LIVENESS);
      case "/ready", "/ready/" -> report = registry.check(CheckOptions.Group.READINESS);
      default -> {
        return new Answer(404, "text/plain; charset=utf-8", head ? new byte[0] : NOT_FOUND, false);
      }
    }
    byte[] body =
        head
            ? new byte[0]
            : report.toJson(showDetails(authorization)).getBytes(StandardCharsets.UTF_8);
    return new Answer(report.httpStatus(), HealthReport.CONTENT_TYPE, body, false);
  }

  boolean showDetails(String authorization) {
    return switch (details) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTHORIZED -> tokenDigest != null && presents(authorization);
    };
  }

  private boolean presents(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return false;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).trim()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
