package com.aicompanion.monitoring.benchmarks.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A JDK {@link HttpExchange} held in memory, so that the cost of the request glue is measured
 * without a socket (on a shared machine the loopback round trip varies by more than the glue
 * costs).
 *
 * <pre>{@code
 * HttpExchange e = new InMemoryExchange(context, "GET", URI.create("/conversations/c-1"));
 * }</pre>
 */
final class InMemoryExchange extends HttpExchange {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 51000);
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

  private final HttpContext context;
  private final String method;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
  private int status = -1;

  InMemoryExchange(HttpContext context, String method, URI uri) {
    this.context = context;
    this.method = method;
    this.uri = uri;
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return context;
  }

  @Override
  public void close() {}

  @Override
  public InputStream getRequestBody() {
    return new ByteArrayInputStream(new byte[0]);
  }

  @Override
  public OutputStream getResponseBody() {
    return body;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    status = rCode;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return PEER;
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return LOCAL;
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return null;
  }

  @Override
  public void setAttribute(String name, Object value) {}

  @Override
  public void setStreams(InputStream i, OutputStream o) {}

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
