package com.aicompanion.monitoring.tracing.internal;

import com.aicompanion.monitoring.SecretMasking;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished span with the one masking policy applied to everything that can carry text from the
 * application: the span name, attribute values, event names and attributes (the {@code exception}
 * event's {@code exception.message} and {@code exception.stacktrace} included), link attributes and
 * the status description. An attribute whose key says it is secret ({@code password}, {@code
 * db.api_key}, ...) becomes the string {@code "****"} whatever its type; other string values (and
 * string arrays) are masked as text. The resource is not: it holds the service's identity.
 *
 * <pre>{@code
 * SpanData safe = MaskedSpanData.mask(span, masking);   // the same instance when nothing changed
 * }</pre>
 */
public final class MaskedSpanData extends DelegatingSpanData {
  private final String name;
  private final Attributes attributes;
  private final List<EventData> events;
  private final List<LinkData> links;
  private final StatusData status;

  private MaskedSpanData(
      SpanData delegate,
      String name,
      Attributes attributes,
      List<EventData> events,
      List<LinkData> links,
      StatusData status) {
    super(delegate);
    this.name = name;
    this.attributes = attributes;
    this.events = events;
    this.links = links;
    this.status = status;
  }

  /** {@code span} masked; {@code span} itself when nothing in it is secret. */
  public static SpanData mask(SpanData span, SecretMasking masking) {
    String name = masking.mask(span.getName());
    Attributes attributes = mask(span.getAttributes(), masking);
    List<EventData> events = maskEvents(span.getEvents(), masking);
    List<LinkData> links = maskLinks(span.getLinks(), masking);
    StatusData status = span.getStatus();
    String description = status.getDescription();
    String maskedDescription = masking.mask(description);
    if (maskedDescription != description) {
      status = StatusData.create(status.getStatusCode(), maskedDescription);
    }
    if (name == span.getName()
        && attributes == span.getAttributes()
        && events == span.getEvents()
        && links == span.getLinks()
        && status == span.getStatus()) {
      return span;
    }
    return new MaskedSpanData(span, name, attributes, events, links, status);
  }

  /** {@code attributes} masked; the same instance when nothing changed. */
  public static Attributes mask(Attributes attributes, SecretMasking masking) {
    if (attributes.isEmpty() || !needsMasking(attributes, masking)) {
      return attributes;
    }
    AttributesBuilder builder = Attributes.builder();
    attributes.forEach((key, value) -> put(builder, key, value, masking));
    return builder.build();
  }

  private static boolean needsMasking(Attributes attributes, SecretMasking masking) {
    boolean[] needed = {false};
    attributes.forEach(
        (key, value) -> {
          if (needed[0]) {
            return;
          }
          if (masking.isSecretName(key.getKey())) {
            needed[0] = true;
          } else if (key.getType() == AttributeType.STRING) {
            needed[0] = masking.mask((String) value) != value;
          } else if (key.getType() == AttributeType.STRING_ARRAY) {
            for (Object item : (List<?>) value) {
              if (item instanceof String text && masking.mask(text) != text) {
                needed[0] = true;
                break;
              }
            }
          }
        });
    return needed[0];
  }

  @SuppressWarnings("unchecked")
  private static void put(
      AttributesBuilder builder, AttributeKey<?> key, Object value, SecretMasking masking) {
    if (masking.isSecretName(key.getKey())) {
      builder.put(AttributeKey.stringKey(key.getKey()), SecretMasking.MASK);
    } else if (key.getType() == AttributeType.STRING) {
      builder.put((AttributeKey<String>) key, masking.mask((String) value));
    } else if (key.getType() == AttributeType.STRING_ARRAY) {
      List<String> items = new ArrayList<>();
      for (Object item : (List<?>) value) {
        items.add(item instanceof String text ? masking.mask(text) : String.valueOf(item));
      }
      builder.put((AttributeKey<List<String>>) key, items);
    } else {
      builder.put((AttributeKey<Object>) key, value);
    }
  }

  private static List<EventData> maskEvents(List<EventData> events, SecretMasking masking) {
    List<EventData> masked = null;
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      String name = masking.mask(event.getName());
      Attributes attributes = mask(event.getAttributes(), masking);
      if (name == event.getName() && attributes == event.getAttributes()) {
        if (masked != null) {
          masked.add(event);
        }
        continue;
      }
      if (masked == null) {
        masked = new ArrayList<>(events.subList(0, i));
      }
      // a plain event: an exception event would rebuild its attributes from the exception
      masked.add(
          EventData.create(
              event.getEpochNanos(), name, attributes, event.getTotalAttributeCount()));
    }
    return masked == null ? events : masked;
  }

  private static List<LinkData> maskLinks(List<LinkData> links, SecretMasking masking) {
    List<LinkData> masked = null;
    for (int i = 0; i < links.size(); i++) {
      LinkData link = links.get(i);
      Attributes attributes = mask(link.getAttributes(), masking);
      if (attributes == link.getAttributes()) {
        if (masked != null) {
          masked.add(link);
        }
        continue;
      }
      if (masked == null) {
        masked = new ArrayList<>(links.subList(0, i));
      }
      masked.add(LinkData.create(link.getSpanContext(), attributes, link.getTotalAttributeCount()));
    }
    return masked == null ? links : masked;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }
}
