package com.aicompanion.monitoring;

import com.aicompanion.monitoring.internal.masking.BuiltInRules;
import com.aicompanion.monitoring.internal.masking.PatternSafety;
import com.aicompanion.monitoring.internal.masking.SecretNames;
import com.aicompanion.monitoring.internal.masking.StackFrames;
import com.aicompanion.monitoring.internal.masking.UserPattern;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one masking policy of every signal: log lines (console and shipped), Sentry events, span
 * attributes and events, captured prompts. {@link MonitoringConfig#masking()} holds the instance
 * that logging, tracing and Sentry share; a module used alone builds its own from the same keys.
 *
 * <pre>{@code
 * SecretMasking masking = monitoring.config().masking();             // or SecretMasking.defaults()
 * masking.mask("login password=\"a b\" from 10.0.0.7");              // login password="****" from 10.0.0.7
 * masking.mask("key sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQr");           // key ****
 * masking.maskField("db_password_hash", "x");                         // ****
 * SecretMasking custom = SecretMasking.builder().maskEmails(true).pattern("CUST-\\d{6}").build();
 * }</pre>
 *
 * <p>What is masked, by kind (docs/masking.md lists every rule): the value of every pair whose key
 * names a secret anywhere in it ({@code SECRET_KEY=..}, {@code "db_password_hash": ..}, {@code
 * x-api-key: ..}, {@code clientSecret=..}, {@code sig=..}), whole: quoted values with blanks,
 * commas or semicolons, JSON numbers, arrays and objects; HTTP authorization and cookie header
 * values to the end of the line; URL passwords; {@code Bearer}/{@code Basic}/{@code Token}
 * credentials; vendor tokens by their prefix ({@code sk-}, {@code ghp_}, {@code glpat-}, {@code
 * xoxb-}, {@code AKIA}, {@code AIza}, {@code SG.}, ...); JWTs; PEM private keys; e-mail addresses
 * when {@link Builder#maskEmails(boolean)}; and every match of the user's patterns. The mask is
 * {@value #MASK}; keys stay readable.
 *
 * <p>Thread-safe; {@link #mask} never throws. If a rule or a user pattern fails on a value (a
 * {@code StackOverflowError}, a pattern that reads more than its budget of characters, any {@code
 * Throwable}), that value is replaced by {@value #MASK} whole, counted in {@code
 * monitoring_mask_errors_total} ({@link #bindTo}) and {@link #errors()}, and logged once per
 * pattern at WARN. Text without a secret costs one pass of table look-ups and is returned as the
 * same instance, with nothing allocated.
 */
public final class SecretMasking implements MeterBinder {
  /** What a secret is replaced by. */
  public static final String MASK = BuiltInRules.MASK;

  private static final Logger LOG = LoggerFactory.getLogger(SecretMasking.class);
  private static final String BUILT_IN = "the built-in rules";

  private final boolean maskEmails;
  private final List<UserPattern> patterns;
  private final FieldVerdict[] fieldVerdicts = new FieldVerdict[256];
  private final LongAdder errors = new LongAdder();
  private final Set<Counter> counters = new CopyOnWriteArraySet<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  private SecretMasking(boolean maskEmails, List<UserPattern> patterns) {
    this.maskEmails = maskEmails;
    this.patterns = List.copyOf(patterns);
  }

  /** The built-in rules alone: no e-mail addresses, no user patterns. A new instance each call. */
  public static SecretMasking defaults() {
    return new SecretMasking(false, List.of());
  }

  /** A builder starting from the built-in rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this policy's settings, to add to them (a module's own {@code mask(regex)}). */
  public Builder toBuilder() {
    Builder b = new Builder().maskEmails(maskEmails);
    patterns.forEach(p -> b.patterns.add(p.pattern()));
    return b;
  }

  /**
   * {@code text} with every secret masked; the same instance when nothing was found.
   *
   * @param text any text; null is returned as null
   * @return never throws: a failure masks the whole text (see the class comment)
   */
  public @Nullable String mask(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out;
    try {
      out = BuiltInRules.mask(text, maskEmails);
    } catch (Throwable failure) {
      return failed(BUILT_IN, failure, text.length());
    }
    for (int i = 0; i < patterns.size(); i++) {
      UserPattern pattern = patterns.get(i);
      try {
        out = pattern.apply(out, MASK);
      } catch (Throwable failure) {
        return failed(pattern.pattern().pattern(), failure, text.length());
      }
    }
    return out;
  }

  /**
   * The value of a field called {@code name}: {@value #MASK} when the name says it holds a secret
   * ({@link #isSecretName}), else {@code value} masked as text.
   *
   * @param name may be null (then only the value decides)
   * @param value may be null (returned as null)
   */
  public @Nullable String maskField(@Nullable String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    return isSecretName(name) ? MASK : mask(value);
  }

  /**
   * Whether a field or attribute called {@code name} holds a secret as a whole, whatever its type:
   * {@code password}, {@code SECRET_KEY}, {@code db_password_hash}, {@code x-api-key}, {@code
   * clientSecret}, {@code refreshToken}, {@code authorization}, {@code sig}, ... but not {@code
   * input_tokens} or {@code token_count}. Cached per name; allocates nothing for a known name.
   */
  public boolean isSecretName(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    int slot = name.hashCode() & (fieldVerdicts.length - 1);
    FieldVerdict verdict = fieldVerdicts[slot];
    if (verdict != null && verdict.name().equals(name)) {
      return verdict.secret();
    }
    boolean secret;
    try {
      secret = SecretNames.classify(name) != SecretNames.NONE;
    } catch (RuntimeException e) {
      secret = true;
    }
    // replaced racily, which is harmless: an entry is immutable
    fieldVerdicts[slot] = new FieldVerdict(name, secret);
    return secret;
  }

  /**
   * Whether {@link #mask} leaves {@code frame} as it is when it stands as a line of a stack trace:
   * {@code frame} is exactly one frame as Java and Logback print it ({@code at
   * pkg.Class.method(File.java:42)}, {@code (Native Method)}, {@code (Unknown Source)}; no tab, no
   * packaging data), a code location the built-in rules do not scan, and this policy has no user
   * pattern (which would still run over it). A line that only looks like a frame (a blank, a {@code
   * =}, a quote in it...) is false: it is masked as text.
   *
   * @param frame a stack frame line; null is false
   */
  public boolean leavesStackFrame(@Nullable String frame) {
    return frame != null && patterns.isEmpty() && StackFrames.isFrame(frame);
  }

  /** Whether e-mail addresses are masked. */
  public boolean masksEmails() {
    return maskEmails;
  }

  /** The user patterns, in the order they run (after the built-in rules). */
  public List<Pattern> patterns() {
    List<Pattern> list = new ArrayList<>(patterns.size());
    patterns.forEach(p -> list.add(p.pattern()));
    return List.copyOf(list);
  }

  /** Values masked whole because masking them failed, since this instance was built. */
  public long errors() {
    return errors.sum();
  }

  /**
   * Counts failures in {@code monitoring_mask_errors_total} on {@code registry} (earlier ones
   * included). May be called for several registries; binding the same one twice counts once.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Counter counter =
        Counter.builder("monitoring.mask.errors")
            .description(
                "Values replaced by the mask whole because masking them failed (a user pattern"
                    + " that overflowed the stack or read too long, any other error)")
            .register(registry);
    synchronized (counters) {
      if (counters.add(counter)) {
        counter.increment(errors.sum());
      }
    }
  }

  private String failed(String where, Throwable failure, int length) {
    synchronized (counters) {
      errors.increment();
      for (Counter counter : counters) {
        counter.increment();
      }
    }
    if (reported.size() < 100 && reported.add(where)) {
      String cause =
          failure instanceof UserPattern.BudgetExceeded
              ? "it " + failure.getMessage() + " (it backtracks too much)"
              : failure.getClass().getName();
      LOG.warn(
          "Masking with {} failed on a value of {} characters: {}. The value was replaced by {}"
              + " whole and is counted in monitoring_mask_errors_total; logging goes on. {} This"
              + " warning is logged once.",
          where.equals(BUILT_IN) ? BUILT_IN : "the pattern " + where,
          length,
          cause,
          MASK,
          where.equals(BUILT_IN)
              ? "Please report it as a bug."
              : "Simplify the pattern: a character class or a possessive quantifier instead of a"
                  + " repeated group.");
    }
    return MASK;
  }

  private record FieldVerdict(String name, boolean secret) {}

  /** Builds a {@link SecretMasking}; checks each user pattern as it is added. */
  public static final class Builder {
    private boolean maskEmails;
    private final List<Pattern> patterns = new ArrayList<>();

    private Builder() {}

    /** Also masks e-mail addresses (default false). */
    public Builder maskEmails(boolean mask) {
      this.maskEmails = mask;
      return this;
    }

    /**
     * Masks every match of {@code regex} too.
     *
     * @throws IllegalArgumentException naming the pattern, the rule and the fix when it is not a
     *     regular expression or has a shape that overflows the stack on long values ({@code
     *     (?:\d|-)+}, {@code (a+)+}; see docs/masking.md)
     */
    public Builder pattern(String regex) {
      Objects.requireNonNull(regex, "regex");
      Pattern compiled;
      try {
        compiled = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "mask pattern "
                + regex
                + " is not a regular expression ("
                + e.getDescription()
                + " at index "
                + e.getIndex()
                + "): fix it, e.g. CUST-\\d{6}",
            e);
      }
      return pattern(compiled);
    }

    /**
     * Masks every match of {@code pattern} too.
     *
     * @throws IllegalArgumentException as {@link #pattern(String)}
     */
    public Builder pattern(Pattern pattern) {
      Objects.requireNonNull(pattern, "pattern");
      String problem = PatternSafety.problem(pattern);
      if (problem != null) {
        throw new IllegalArgumentException("mask pattern " + pattern.pattern() + " " + problem);
      }
      patterns.add(pattern);
      return this;
    }

    /** {@link #pattern(Pattern)} for each of {@code patterns}, in order. */
    public Builder patterns(Collection<Pattern> patterns) {
      patterns.forEach(this::pattern);
      return this;
    }

    public SecretMasking build() {
      List<UserPattern> user = new ArrayList<>(patterns.size());
      patterns.forEach(p -> user.add(UserPattern.of(p)));
      return new SecretMasking(maskEmails, user);
    }
  }
}
