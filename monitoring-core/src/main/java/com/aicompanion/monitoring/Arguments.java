package com.aicompanion.monitoring;

/**
 * The one rule of the library's builders for a missing argument: an {@link
 * IllegalArgumentException} that names the method and says what to do instead.
 *
 * <pre>{@code
 * this.environment = Arguments.required(environment, "environment");
 * // environment(null): pass a value; to keep the default, do not call environment()
 * }</pre>
 */
public final class Arguments {
  private Arguments() {}

  /**
   * {@code value}, or an {@link IllegalArgumentException} naming {@code method}.
   *
   * @param method the builder method's name, e.g. {@code environment}
   */
  public static <T> T required(@org.jspecify.annotations.Nullable T value, String method) {
    if (value == null) {
      throw new IllegalArgumentException(
          method + "(null): pass a value; to keep the default, do not call " + method + "()");
    }
    return value;
  }
}
