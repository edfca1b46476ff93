package com.aicompanion.monitoring.logging.internal;

/**
 * The composable index template the shipper installs: a data stream with the ECS mapping of the
 * fields of the log schema (monitoring-logging/README.md), {@code labels.*} as {@code keyword}
 * (where user fields that would collide with the schema go, see {@link EcsSchema}), {@code
 * labels.fields} mapped up front (the one field of {@link SafeDocument}'s safe form, so that it
 * adds no field even to an index at its field limit); other strings map to {@code keyword}. Date
 * detection is off, so that a user string that looks like a date in one event and not in the next
 * does not map a field as {@code date} and reject the second.
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
          "date_detection":false,
          "dynamic_templates":[
           {"labels_as_keyword":{"path_match":"labels.*",
            "mapping":{"type":"keyword","ignore_above":1024}}},
           {"strings_as_keyword":{"match_mapping_type":"string",
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
             "stack_trace":{"type":"text"}}},
           "labels":{"type":"object","properties":{
             "fields":{"type":"keyword","ignore_above":1024}}}}}}}
        """
        .formatted(pattern);
  }
}
