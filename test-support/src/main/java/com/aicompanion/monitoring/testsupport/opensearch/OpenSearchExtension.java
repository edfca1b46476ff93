package com.aicompanion.monitoring.testsupport.opensearch;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@link OpenSearchNode} per test JVM into test constructors, {@code @BeforeAll} and
 * test methods: started on first use, closed when the JVM's test run ends, so that several test
 * classes share the slow start.
 *
 * <pre>{@code
 * @ExtendWith(OpenSearchExtension.class)
 * class ShippingTest {
 *   @Test
 *   void documentsArrive(OpenSearchNode node) { ... node.uri() ... }
 * }
 * }</pre>
 *
 * <p>A test that stops the node must {@link OpenSearchNode#restart()} it before it returns.
 */
public final class OpenSearchExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(OpenSearchExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OpenSearchNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return node(context);
  }

  /** The shared node, started on first call. */
  public static OpenSearchNode node(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            OpenSearchNode.class, type -> OpenSearchNode.start(), OpenSearchNode.class);
  }
}
