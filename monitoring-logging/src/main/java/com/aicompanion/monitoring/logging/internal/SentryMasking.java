package com.aicompanion.monitoring.logging.internal;

import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import java.util.List;
import java.util.Map;

/**
 * Applies the masking policy to Sentry events and breadcrumbs: message, parameters, exception
 * values, extras, MDC context and tags.
 *
 * <pre>{@code
 * options.setBeforeSend(SentryMasking.beforeSend(masker));
 * }</pre>
 */
public final class SentryMasking {
  private SentryMasking() {}

  public static SentryOptions.BeforeSendCallback beforeSend(SecretMasker masker) {
    return (event, hint) -> {
      Message message = event.getMessage();
      if (message != null) {
        message.setMessage(masker.mask(message.getMessage()));
        message.setFormatted(masker.mask(message.getFormatted()));
        List<String> params = message.getParams();
        if (params != null) {
          message.setParams(params.stream().map(masker::mask).toList());
        }
      }
      List<SentryException> exceptions = event.getExceptions();
      if (exceptions != null) {
        exceptions.forEach(e -> e.setValue(masker.mask(e.getValue())));
      }
      Map<String, Object> extras = event.getExtras();
      if (extras != null) {
        extras.replaceAll((k, v) -> maskValue(masker, k, v));
      }
      Map<String, String> tags = event.getTags();
      if (tags != null) {
        tags.replaceAll((k, v) -> (String) maskValue(masker, k, v));
      }
      Object mdc = event.getContexts().get("MDC");
      if (mdc instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) map;
        values.replaceAll((k, v) -> maskValue(masker, k, v));
      }
      if (event.getBreadcrumbs() != null) {
        event.getBreadcrumbs().forEach(b -> b.setMessage(masker.mask(b.getMessage())));
      }
      return event;
    };
  }

  public static SentryOptions.BeforeBreadcrumbCallback beforeBreadcrumb(SecretMasker masker) {
    return (breadcrumb, hint) -> {
      breadcrumb.setMessage(masker.mask(breadcrumb.getMessage()));
      return breadcrumb;
    };
  }

  private static Object maskValue(SecretMasker masker, String key, Object value) {
    if (!(value instanceof String text)) {
      return value;
    }
    return SecretMasker.isSecretField(key) ? SecretMasker.MASK : masker.mask(text);
  }
}
