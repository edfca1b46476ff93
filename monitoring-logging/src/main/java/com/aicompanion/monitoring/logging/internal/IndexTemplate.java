package com.aicompanion.monitoring.logging.internal;

/**
 * The composable index template the shipper installs: a data stream with the ECS mapping of the
 * fields of the log schema (monitoring-logging/README.md); other strings map to {@code keyword}.
 *
 * <pre>{@code
 * String body = IndexTemplate.json("logs-ai-companion-*");
 * }</pre>
 */
public final class IndexTemplate {
  private IndexTemplate() {}

  public static String json(String pattern) {
    return """
        {"index_patterns":["%s"],"data_stream":{},"priority":200,
         "_meta":{"description":"ECS log lines written by companion-monitoring"},
         "template":{"mappings":{
          "dynamic_templates":[{"strings_as_keyword":{"match_mapping_type":"string",
            "mapping":{"type":"keyword","ignore_above":1024}}}],
          "properties":{
           "@timestamp":{"type":"date"},
           "message":{"type":"text"},
           "ecs":{"properties":{"version":{"type":"keyword"}}},
           "log":{"properties":{"level":{"type":"keyword"},"logger":{"type":"keyword"}}},
           "service":{"properties":{"name":{"type":"keyword"},"version":{"type":"keyword"},
             "environment":{"type":"keyword"}}},
           "event":{"properties":{"dataset":{"type":"keyword"}}},
           "host":{"properties":{"hostname":{"type":"keyword"}}},
           "process":{"properties":{"thread":{"properties":{"name":{"type":"keyword"}}}}},
           "trace":{"properties":{"id":{"type":"keyword"}}},
           "span":{"properties":{"id":{"type":"keyword"}}},
           "error":{"properties":{"type":{"type":"keyword"},"message":{"type":"text"},
             "stack_trace":{"type":"text"}}}}}}}
        """
        .formatted(pattern);
  }
}
