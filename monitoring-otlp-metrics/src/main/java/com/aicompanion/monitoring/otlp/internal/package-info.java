/** Implementation of monitoring-otlp-metrics; not API. */
@NullMarked
package com.aicompanion.monitoring.otlp.internal;

import org.jspecify.annotations.NullMarked;
