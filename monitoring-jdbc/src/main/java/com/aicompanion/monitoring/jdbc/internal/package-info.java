/** Implementation of monitoring-jdbc; not API. */
@NullMarked
package com.aicompanion.monitoring.jdbc.internal;

import org.jspecify.annotations.NullMarked;
