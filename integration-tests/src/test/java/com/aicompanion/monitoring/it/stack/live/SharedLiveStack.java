package com.aicompanion.monitoring.it.stack.live;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods (and {@code @BeforeAll} methods) a {@link LiveStack} parameter: one stack for
 * every test class of the run that asks for it, started by the first and closed when the run ends
 * (it lives in the root context's store, which closes what it holds).
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
    return context
        .getRoot()
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
