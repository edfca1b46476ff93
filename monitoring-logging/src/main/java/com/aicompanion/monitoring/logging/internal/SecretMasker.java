package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.SecretMasking;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.List;
import java.util.regex.Pattern;
import net.logstash.logback.mask.ValueMasker;

/**
 * The logging module's view of the one masking policy ({@link SecretMasking}, owned by core): a
 * logstash-logback-encoder {@link ValueMasker} plus the calls the encoder's providers make. It
 * holds no rule of its own.
 *
 * <pre>{@code
 * SecretMasker masker = SecretMasker.of(config.masking());
 * masker.mask("key sk-proj-abc...xyz");   // "key ****"
 * masker.secretField("db_password");       // true: the whole value is masked
 * }</pre>
 */
public final class SecretMasker implements ValueMasker {
  public static final String MASK = SecretMasking.MASK;

  /** For the static name check, which needs no user pattern. */
  private static final SecretMasking NAMES = SecretMasking.defaults();

  private final SecretMasking policy;

  private SecretMasker(SecretMasking policy) {
    this.policy = policy;
  }

  /** The encoder's view of {@code policy}. */
  public static SecretMasker of(SecretMasking policy) {
    return new SecretMasker(policy);
  }

  /**
   * The built-in policy, plus e-mail addresses when {@code maskEmails}, plus {@code extra} patterns
   * whose every match is replaced by {@value #MASK}.
   *
   * @throws IllegalArgumentException naming a pattern that would overflow the stack, with the fix
   */
  public static SecretMasker defaults(boolean maskEmails, List<Pattern> extra) {
    return new SecretMasker(SecretMasking.builder().maskEmails(maskEmails).patterns(extra).build());
  }

  /** The policy behind this view (the instance core and the other modules share). */
  public SecretMasking policy() {
    return policy;
  }

  /** {@code text} with every secret masked; the same instance when nothing matched. */
  public String mask(String text) {
    return policy.mask(text);
  }

  /** Whether a field called {@code name} holds a secret as a whole. */
  public static boolean isSecretField(String name) {
    return NAMES.isSecretName(name);
  }

  /** {@link #isSecretField} through the policy's cache: field names repeat on every line. */
  public boolean secretField(String name) {
    return policy.isSecretName(name);
  }

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (secretField(context.getCurrentName())) {
      return MASK;
    }
    if (!(value instanceof CharSequence chars)) {
      return null;
    }
    String text = chars.toString();
    String masked = mask(text);
    // identity, not equals: mask() returns the same instance when nothing matched
    return masked == text ? null : masked;
  }
}
