package com.aicompanion.monitoring.logging.internal;

import com.aicompanion.monitoring.SecretMasking;
import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the one masking policy to Sentry events and breadcrumbs before they are sent: message,
 * parameters, exception values, transaction, extras, tags, the MDC context, the request, and
 * breadcrumb messages and data. A value whose key says it is secret is masked whole, whatever its
 * type (numbers, lists and maps too); other strings are masked as text, also inside lists and maps.
 *
 * <pre>{@code
 * options.setBeforeSend(SentryMasking.beforeSend(config.masking()));
 * options.setBeforeBreadcrumb(SentryMasking.beforeBreadcrumb(config.masking()));
 * }</pre>
 *
 * <p>Never throws: if masking an event fails it is dropped (returning null) rather than sent
 * unmasked; the policy itself never throws.
 */
public final class SentryMasking {
  private SentryMasking() {}

  /** The longest breadcrumb message sent, in characters; longer ones are cut. */
  public static final int MAX_BREADCRUMB_CHARS = 8 * 1024;

  public static SentryOptions.BeforeSendCallback beforeSend(
      SecretMasking masking, SentryCounters counters) {
    return (event, hint) -> {
      try {
        maskEvent(masking, event);
        return event;
      } catch (RuntimeException e) {
        // an event that cannot be masked is not sent
        counters.maskingFailed(e);
        return null;
      }
    };
  }

  /**
   * Masks a breadcrumb and cuts its message to {@link #MAX_BREADCRUMB_CHARS}, so that one huge log
   * line cannot ride on every later error (Sentry refuses events over 1 MiB).
   */
  public static SentryOptions.BeforeBreadcrumbCallback beforeBreadcrumb(
      SecretMasking masking, SentryCounters counters) {
    return (breadcrumb, hint) -> {
      try {
        String message = breadcrumb.getMessage();
        int length = message == null ? 0 : message.length();
        if (length > MAX_BREADCRUMB_CHARS) {
          // masking a megabyte on the logging thread is the cost avoided: cut with a margin, so
          // that a secret at the cut is still whole when masked, then cut to the limit
          breadcrumb.setMessage(cut(message, MAX_BREADCRUMB_CHARS + 1024));
        }
        maskBreadcrumb(masking, breadcrumb);
        if (length > MAX_BREADCRUMB_CHARS) {
          breadcrumb.setMessage(
              cut(breadcrumb.getMessage(), MAX_BREADCRUMB_CHARS)
                  + "... [cut, "
                  + length
                  + " chars]");
          counters.truncated(length, MAX_BREADCRUMB_CHARS);
        }
        maskBreadcrumb(masking, breadcrumb);
        return breadcrumb;
      } catch (RuntimeException e) {
        return null;
      }
    };
  }

  private static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }

  /** Counts an event over the size limit; sentry-java then removes breadcrumbs and frames. */
  public static SentryOptions.OnOversizedEventCallback onOversized(SentryCounters counters) {
    return (event, hint) -> {
      counters.shrunk(SentryOptions.MAX_EVENT_SIZE_BYTES);
      return event;
    };
  }

  static void maskEvent(SecretMasking masking, SentryEvent event) {
    Message message = event.getMessage();
    if (message != null) {
      message.setMessage(masking.mask(message.getMessage()));
      message.setFormatted(masking.mask(message.getFormatted()));
      List<String> params = message.getParams();
      if (params != null) {
        List<String> masked = new ArrayList<>(params.size());
        params.forEach(p -> masked.add(masking.mask(p)));
        message.setParams(masked);
      }
    }
    List<SentryException> exceptions = event.getExceptions();
    if (exceptions != null) {
      exceptions.forEach(e -> e.setValue(masking.mask(e.getValue())));
    }
    event.setTransaction(masking.mask(event.getTransaction()));
    Map<String, Object> extras = event.getExtras();
    if (extras != null) {
      extras.replaceAll((k, v) -> maskValue(masking, k, v));
    }
    Map<String, String> tags = event.getTags();
    if (tags != null) {
      tags.replaceAll((k, v) -> masking.maskField(k, v));
    }
    Object mdc = event.getContexts().get("MDC");
    if (mdc instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> values = (Map<String, Object>) map;
      values.replaceAll((k, v) -> maskValue(masking, k, v));
    }
    Request request = event.getRequest();
    if (request != null) {
      request.setUrl(masking.mask(request.getUrl()));
      request.setQueryString(masking.mask(request.getQueryString()));
      if (request.getCookies() != null) {
        request.setCookies(SecretMasking.MASK);
      }
      if (request.getHeaders() != null) {
        request.getHeaders().replaceAll((k, v) -> masking.maskField(k, v));
      }
      request.setData(maskValue(masking, "data", request.getData()));
    }
    if (event.getBreadcrumbs() != null) {
      event.getBreadcrumbs().forEach(b -> maskBreadcrumb(masking, b));
    }
  }

  static void maskBreadcrumb(SecretMasking masking, Breadcrumb breadcrumb) {
    breadcrumb.setMessage(masking.mask(breadcrumb.getMessage()));
    Map<String, Object> data = breadcrumb.getData();
    if (data != null) {
      data.replaceAll((k, v) -> maskValue(masking, k, v));
    }
  }

  /** {@code value} of the field {@code key}: whole when the key is secret, else masked inside. */
  static Object maskValue(SecretMasking masking, String key, Object value) {
    if (value == null) {
      return null;
    }
    if (masking.isSecretName(key)) {
      return SecretMasking.MASK;
    }
    return maskInside(masking, value);
  }

  private static Object maskInside(SecretMasking masking, Object value) {
    if (value instanceof String text) {
      return masking.mask(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, maskValue(masking, k == null ? null : k.toString(), v)));
      return copy;
    }
    if (value instanceof Collection<?> items) {
      List<Object> copy = new ArrayList<>(items.size());
      items.forEach(item -> copy.add(maskInside(masking, item)));
      return copy;
    }
    if (value instanceof Object[] items) {
      List<Object> copy = new ArrayList<>(items.length);
      for (Object item : items) {
        copy.add(maskInside(masking, item));
      }
      return copy;
    }
    if (value instanceof CharSequence chars) {
      return masking.mask(chars.toString());
    }
    return value;
  }
}
