package com.aicompanion.monitoring;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Serves one route of the endpoint server. The server closes the exchange afterwards and answers
 * 500 if the handler throws before sending headers.
 */
@FunctionalInterface
public interface EndpointHandler {
  /**
   * @param exchange the request, GET or HEAD; for HEAD send headers with length -1 and no body
   * @param authorized whether the caller presented the endpoint token, or no token is configured
   */
  void handle(HttpExchange exchange, boolean authorized) throws IOException;
}
