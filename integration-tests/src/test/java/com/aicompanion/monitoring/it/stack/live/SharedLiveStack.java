package com.aicompanion.monitoring.it.stack.live;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods (and {@code @BeforeAll} methods) a {@link LiveStack} parameter: one stack per
 * test class that asks for it, shared by its methods and nested classes, started by the first and
 * closed when the class ends (it lives in the class context's store, which closes what it holds).
 *
 * <pre>{@code
 * @ExtendWith(SharedLiveStack.class)
 * class SomeLiveTest {
 *   @BeforeAll
 *   static void start(LiveStack stack) { ... }
 * }
 * }</pre>
 */
final class SharedLiveStack implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedLiveStack.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LiveStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // the top-level class's store: closed when that class ends, because the stack's Monitoring
    // holds the process's globals (Monitoring.global(), logging, OpenTelemetry), which the test
    // classes after it start their own
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent()
        && classContext.getParent().get() != context.getRoot()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NAMESPACE)
        .computeIfAbsent(LiveStack.class, type -> start(), LiveStack.class);
  }

  private static LiveStack start() {
    try {
      return LiveStack.start();
    } catch (Exception e) {
      throw new IllegalStateException("the live stack did not start: " + e.getMessage(), e);
    }
  }
}
