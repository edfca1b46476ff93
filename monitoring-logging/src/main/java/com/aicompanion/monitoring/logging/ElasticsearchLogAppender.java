package com.aicompanion.monitoring.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.aicompanion.monitoring.logging.internal.EcsEncoders;
import com.aicompanion.monitoring.logging.internal.ElasticsearchAppender;
import com.aicompanion.monitoring.logging.internal.LoggingSettings;
import com.aicompanion.monitoring.logging.internal.SecretMasker;
import com.aicompanion.monitoring.logging.internal.ShippingCounters;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Direct shipping to an Elasticsearch (or OpenSearch) data stream for your own {@code logback.xml}:
 * the same shipper {@link JsonLogging} attaches for {@code MONITORING_ELASTICSEARCH_URL}, with a
 * queue bounded by bytes that never blocks the application (overflow: the new event is dropped and
 * counted). Outages and recoveries are logged by the logger {@code
 * com.aicompanion.monitoring.logging.shipping} of this configuration, rate-limited.
 *
 * <pre>{@code
 * <appender name="ES" class="com.aicompanion.monitoring.logging.ElasticsearchLogAppender">
 *   <url>http://es:9200</url>
 *   <apiKey>${ES_API_KEY}</apiKey>
 *   <serviceName>ai-companion</serviceName>
 *   <environment>prod</environment>
 * </appender>
 * }</pre>
 *
 * <p>Properties (validated in {@link #start()}; a bad one is reported as a Logback error naming the
 * property, the value and the fix, and the appender does not start): {@code url} (required, http or
 * https; for a cluster several nodes separated by commas, same scheme, e.g. {@code
 * http://es1:9200,http://es2:9200}: requests go to the first that answers and fail over to the next
 * on a connection failure, a timeout or 502/503/504), {@code serviceName} (required), {@code
 * environment} (default {@code dev}; the data stream is {@code logs-<serviceName>-<environment>}),
 * {@code serviceVersion} (default {@code unknown}), {@code apiKey} or {@code username} + {@code
 * password}, {@code queueBytes} (default 67108864: encoded lines held before new events are
 * dropped), {@code queueCapacity} (deprecated; default 0, no bound on the number of events), {@code
 * batchSize} (1600), {@code batchBytes} (5242880, the largest {@code _bulk} body with its action
 * lines), {@code flushInterval} (1 second), {@code closeTimeout} (5 seconds: {@link #stop()}
 * returns within it, a request in flight abandoned), {@code maxBackoff} (5 seconds), {@code
 * documentIds} (true: each document carries its own id, so a resend cannot index it twice; false
 * lets the node make up ids, faster to ingest), {@code maskEmails} (false), {@code mask}
 * (repeatable). Durations use Logback's syntax, e.g. {@code 500 milliseconds}.
 *
 * <p>Disk spool (as {@code MONITORING_ELASTICSEARCH_SPOOL*} for {@link JsonLogging}; module README,
 * "Durable delivery"): {@code spool} (default true), {@code spoolDir} (default {@code
 * <java.io.tmpdir>/companion-monitoring/spool/<serviceName>-<environment>}; a directory named here
 * that cannot be used is reported as an error and the appender does not start, while an unusable
 * default falls back to memory only with one WARN on the logger above), {@code spoolBytes}
 * (536870912, the bound on the spool's files), {@code spoolSyncInterval} (1 second, how often the
 * spool is forced to the disk).
 *
 * <pre>{@code
 * <appender name="ES" class="com.aicompanion.monitoring.logging.ElasticsearchLogAppender">
 *   <url>http://es:9200</url>
 *   <serviceName>ai-companion</serviceName>
 *   <spoolDir>/var/lib/ai-companion/log-spool</spoolDir>
 * </appender>
 * }</pre>
 */
public final class ElasticsearchLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private String url;
  private String apiKey;
  private String username;
  private String password;
  private String serviceName;
  private String serviceVersion;
  private String environment;
  private long queueBytes = 64L * 1024 * 1024;
  private int queueCapacity;
  private int batchSize = 1600;
  private boolean documentIds = true;
  private int batchBytes = 5 * 1024 * 1024;
  private ch.qos.logback.core.util.Duration flushInterval =
      ch.qos.logback.core.util.Duration.buildBySeconds(1);
  private ch.qos.logback.core.util.Duration closeTimeout =
      ch.qos.logback.core.util.Duration.buildBySeconds(5);
  private ch.qos.logback.core.util.Duration maxBackoff =
      ch.qos.logback.core.util.Duration.buildBySeconds(5);
  private boolean maskEmails;
  private boolean spool = true;
  private String spoolDir;
  private long spoolBytes = 512L * 1024 * 1024;
  private ch.qos.logback.core.util.Duration spoolSyncInterval =
      ch.qos.logback.core.util.Duration.buildBySeconds(1);
  private final List<String> masks = new ArrayList<>();
  private final ShippingCounters counters = new ShippingCounters();
  private ElasticsearchAppender shipper;

  public void setUrl(String url) {
    this.url = url;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  public void setEnvironment(String environment) {
    this.environment = environment;
  }

  /** Encoded bytes the queue holds before new events are dropped; default 64 MiB. */
  public void setQueueBytes(long queueBytes) {
    this.queueBytes = queueBytes;
  }

  /** Deprecated: also bounds the queue by events when above 0 (default 0: bytes only). */
  public void setQueueCapacity(int queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  /**
   * Whether each action names the document's own id (default true: an event sent again after a
   * timeout or a restart is refused as a duplicate); false lets the node make up the ids, which it
   * ingests faster, at the price of possible duplicates after a resend.
   */
  public void setDocumentIds(boolean documentIds) {
    this.documentIds = documentIds;
  }

  public void setBatchBytes(int batchBytes) {
    this.batchBytes = batchBytes;
  }

  public void setFlushInterval(ch.qos.logback.core.util.Duration flushInterval) {
    this.flushInterval = flushInterval;
  }

  public void setCloseTimeout(ch.qos.logback.core.util.Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  public void setMaxBackoff(ch.qos.logback.core.util.Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
  }

  public void setMaskEmails(boolean maskEmails) {
    this.maskEmails = maskEmails;
  }

  /** Whether events waiting for the node are kept in a disk spool; default true. */
  public void setSpool(boolean spool) {
    this.spool = spool;
  }

  /**
   * The spool directory, one per instance; default {@code
   * <java.io.tmpdir>/companion-monitoring/spool/<serviceName>-<environment>}.
   */
  public void setSpoolDir(String spoolDir) {
    this.spoolDir = spoolDir;
  }

  /** The bound on the spool's files, in bytes; default 536870912 (512 MiB). */
  public void setSpoolBytes(long spoolBytes) {
    this.spoolBytes = spoolBytes;
  }

  /** How often the spool forces what it wrote to the disk; default 1 second. */
  public void setSpoolSyncInterval(ch.qos.logback.core.util.Duration spoolSyncInterval) {
    this.spoolSyncInterval = spoolSyncInterval;
  }

  /** Adds a regular expression whose matches are masked ({@code <mask>} may repeat). */
  public void addMask(String regex) {
    masks.add(regex);
  }

  /** Events shipped so far. */
  public long shippedEvents() {
    return counters.shipped();
  }

  /**
   * Events dropped (queue or spool full, closed, or not shipped by the close deadline; with the
   * spool, what close could not send is kept for the next start, not dropped) so far.
   */
  public long droppedEvents() {
    return counters.dropped();
  }

  /** Events Elasticsearch refused, that were too large, or could not be encoded, so far. */
  public long failedEvents() {
    return counters.failed();
  }

  /**
   * Binds {@code monitoring_log_events_total{outcome}}, {@code
   * monitoring_log_event_reasons_total{outcome,reason}}, {@code monitoring_log_queue_size}, {@code
   * monitoring_log_queue_bytes} and the spool's {@code monitoring_log_spool_bytes}, {@code
   * monitoring_log_spool_limit_bytes}, {@code monitoring_log_spool_corrupt_records_total}, {@code
   * monitoring_log_spool_skipped_bytes_total}.
   */
  public void bindTo(MeterRegistry registry) {
    counters.bindTo(registry);
  }

  @Override
  public void start() {
    List<URI> uri = parseUrl();
    if (uri == null
        || !require("serviceName", serviceName, "<serviceName>your-service</serviceName>")
        || !range("queueBytes", queueBytes, 64 * 1024, Integer.MAX_VALUE)
        || !range("queueCapacity", queueCapacity, 0, 10_000_000)
        || !range("batchSize", batchSize, 1, 100_000)
        || !range("batchBytes", batchBytes, 1024, 100 * 1024 * 1024)
        || !range("spoolBytes", spoolBytes, 1024 * 1024, Integer.MAX_VALUE)) {
      return;
    }
    if (apiKey != null && !apiKey.isBlank() && username != null && !username.isBlank()) {
      addError(name() + ": properties apiKey and username are both set: keep one of them");
      return;
    }
    if ((username == null || username.isBlank()) != (password == null || password.isBlank())) {
      addError(name() + ": set both username and password for basic auth, or neither");
      return;
    }
    List<Pattern> patterns = EcsJsonEncoder.compile(name(), masks, this::addError);
    if (patterns == null) {
      return;
    }
    SecretMasker masker =
        EcsJsonEncoder.masker(name(), serviceName, maskEmails, patterns, this::addError);
    if (masker == null) {
      return;
    }
    EcsEncoders.Identity identity;
    try {
      identity = EcsJsonEncoder.identity(serviceName, serviceVersion, environment, null);
    } catch (RuntimeException e) {
      addError(getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    String environmentName = identity.environment();
    ElasticsearchAppender.Spool spoolSettings = spool(identity.service(), environmentName);
    if (spool && spoolSettings == null) {
      return;
    }
    ElasticsearchAppender.Settings settings =
        new ElasticsearchAppender.Settings(
            uri,
            authorization(),
            identity.service(),
            environmentName,
            queueBytes,
            queueCapacity,
            batchSize,
            batchBytes,
            java.time.Duration.ofMillis(flushInterval.getMilliseconds()),
            java.time.Duration.ofMillis(closeTimeout.getMilliseconds()),
            java.time.Duration.ofMillis(maxBackoff.getMilliseconds()),
            com.aicompanion.monitoring.Delivery.DEFAULT_MAX_IN_FLIGHT,
            documentIds,
            // a document refused for a mapping conflict is resent once in its safe form
            com.aicompanion.monitoring.logging.internal.SafeDocument::safeForm,
            spoolSettings);
    shipper =
        new ElasticsearchAppender(
            settings, EcsEncoders.create(getContext(), identity, masker), counters);
    shipper.setContext(getContext());
    try {
      shipper.start();
    } catch (com.aicompanion.monitoring.MonitoringException e) {
      addError(name() + ": " + e.getMessage());
      shipper = null;
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    shipper.doAppend(event);
  }

  /** Flushes within {@code closeTimeout}; what is left is counted as dropped. */
  @Override
  public void stop() {
    if (shipper != null) {
      shipper.stop();
    }
    super.stop();
  }

  /** The spool settings, null when off; null and an error when {@code spoolDir} is no path. */
  private ElasticsearchAppender.Spool spool(String service, String environmentName) {
    if (!spool) {
      return null;
    }
    if (spoolSyncInterval.getMilliseconds() < 1) {
      addError(
          name()
              + ": property spoolSyncInterval is "
              + spoolSyncInterval
              + ": use a duration of at least 1 millisecond, e.g. 1 second");
      return null;
    }
    boolean explicit = spoolDir != null && !spoolDir.isBlank();
    java.nio.file.Path dir;
    try {
      dir =
          explicit
              ? java.nio.file.Path.of(spoolDir.trim())
              : LoggingSettings.defaultSpoolDir(service, environmentName);
    } catch (java.nio.file.InvalidPathException e) {
      addError(
          name()
              + ": property spoolDir is '"
              + spoolDir
              + "', which is not a path: use e.g. <spoolDir>/var/lib/my-service/log-spool</spoolDir>");
      return null;
    }
    return new ElasticsearchAppender.Spool(
        dir,
        spoolBytes,
        java.time.Duration.ofMillis(spoolSyncInterval.getMilliseconds()),
        explicit,
        explicit ? "property spoolDir (" + spoolDir + ")" : "the property <spoolDir> of " + name(),
        "<spool>false</spool>");
  }

  private String name() {
    return getClass().getSimpleName() + (getName() == null ? "" : " '" + getName() + "'");
  }

  private @org.jspecify.annotations.Nullable List<URI> parseUrl() {
    if (url == null || url.isBlank()) {
      addError(
          name()
              + ": property url is not set: add e.g. <url>http://localhost:9200</url> (or several"
              + " nodes of a cluster: <url>http://es1:9200,http://es2:9200</url>)");
      return null;
    }
    try {
      return com.aicompanion.monitoring.ConfigKey.httpUrls(url);
    } catch (IllegalArgumentException e) {
      String problem = e.getMessage();
      addError(
          name()
              + ": property url is '"
              + com.aicompanion.monitoring.ConfigKey.redact(url)
              + "', which "
              + (problem.startsWith("is not an http(s) URL")
                  ? "is not an http(s) URL: use e.g. <url>http://localhost:9200</url>"
                  : problem));
      return null;
    }
  }

  private boolean require(String property, String value, String example) {
    if (value == null || value.isBlank()) {
      addError(name() + ": property " + property + " is not set: add " + example);
      return false;
    }
    return true;
  }

  private boolean range(String property, long value, long min, long max) {
    if (value < min || value > max) {
      addError(
          name()
              + ": property "
              + property
              + " is "
              + value
              + ": use a whole number in ["
              + min
              + ", "
              + max
              + "]");
      return false;
    }
    return true;
  }

  private String authorization() {
    return ElasticsearchAppender.authorization(apiKey, username, password);
  }
}
