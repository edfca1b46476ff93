package com.aicompanion.monitoring;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One JVM-wide "current instance", with the one ownership rule every module follows: the instance
 * that starts with {@code registerGlobal(true)} (the default of every builder) claims the slot,
 * everyone else reads it, and only that instance's {@code close()} releases it; a later start then
 * claims it again. A claim while the owner is still open fails, naming the owner and where it was
 * claimed; nothing is replaced behind its owner's back, and there is no reset: tests isolate with
 * {@code registerGlobal(false)}, or start, close and start again.
 *
 * <pre>{@code
 * static final GlobalSlot<Monitoring> GLOBAL = new GlobalSlot<>("Monitoring.global()");
 *
 * GLOBAL.claim(monitoring, "Monitoring for ai-companion");   // in start()
 * Monitoring current = GLOBAL.current();                     // readers; null when free
 * GLOBAL.release(monitoring);                                 // in close()
 * }</pre>
 *
 * <p>Thread-safe. Public so that every module uses the same rule; not meant for applications.
 *
 * @param <T> the type of the instance held
 */
public final class GlobalSlot<T> {
  private final String name;
  private final AtomicReference<Holder<T>> holder = new AtomicReference<>();

  private record Holder<T>(T instance, String owner, Throwable claimedAt) {}

  /**
   * @param name how users reach the slot, for messages, e.g. {@code Monitoring.global()}; not null
   *     or blank
   * @throws IllegalArgumentException when {@code name} is null or blank
   */
  public GlobalSlot(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "GlobalSlot name is blank: name how users reach it, e.g. \"Monitoring.global()\"");
    }
    this.name = name;
  }

  /**
   * Makes {@code instance} the current one.
   *
   * @param instance not null
   * @param owner what the instance is, for messages, e.g. {@code Monitoring for ai-companion}; not
   *     null
   * @throws MonitoringException when another instance holds the slot: the message names the slot,
   *     the owner and the fix; its cause's stack trace shows where the owner claimed it
   */
  public void claim(T instance, String owner) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(owner, "owner");
    Holder<T> next =
        new Holder<>(
            instance,
            owner,
            new Throwable(
                owner
                    + " claimed "
                    + name
                    + " here, on thread "
                    + Thread.currentThread().getName()));
    Holder<T> current = holder.get();
    while (current == null || current.instance == instance) {
      if (holder.compareAndSet(current, next)) {
        return;
      }
      current = holder.get();
    }
    throw held(current, owner);
  }

  /**
   * Fails now when the slot is held, so that a start can refuse before it builds anything; the
   * later {@link #claim} still decides.
   *
   * @param claimant what would claim it, for the message; not null
   * @throws MonitoringException as {@link #claim} does
   */
  public void checkFree(String claimant) {
    Holder<T> current = holder.get();
    if (current != null) {
      throw held(current, claimant);
    }
  }

  /**
   * Frees the slot if {@code instance} holds it; otherwise does nothing (an instance that never
   * claimed it, or closed twice).
   *
   * @return whether {@code instance} held the slot
   */
  public boolean release(T instance) {
    Holder<T> current = holder.get();
    return current != null && current.instance == instance && holder.compareAndSet(current, null);
  }

  /** The instance holding the slot, or {@code null} when none does. */
  public T current() {
    Holder<T> current = holder.get();
    return current == null ? null : current.instance;
  }

  /** The name given at construction, e.g. {@code Monitoring.global()}. */
  public String name() {
    return name;
  }

  private MonitoringException held(Holder<T> current, String claimant) {
    return new MonitoringException(
        claimant
            + " cannot become "
            + name
            + ": "
            + current.owner
            + " holds it and is still open (one owner at a time; see the cause for where it was"
            + " claimed). Close that one first, or build this one with registerGlobal(false) to"
            + " run beside it without becoming "
            + name,
        current.claimedAt);
  }
}
