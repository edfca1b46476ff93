package com.aicompanion.monitoring.health;

/**
 * One health check: answers whether a dependency or a part of the service works.
 *
 * <pre>{@code
 * HealthCheck queue = () -> depth() < 10_000
 *     ? CheckResult.pass().observed(depth(), "messages")
 *     : CheckResult.warn("ingest queue is backing up");
 * health.register("ingest-queue", queue, CheckOptions.nonCritical());
 * }</pre>
 *
 * <p>A check may block; {@link HealthRegistry} runs it on its own bounded pool with a timeout. An
 * exception or a timeout becomes {@code fail} with the reason as output.
 */
@FunctionalInterface
public interface HealthCheck {
  CheckResult check() throws Exception;
}
