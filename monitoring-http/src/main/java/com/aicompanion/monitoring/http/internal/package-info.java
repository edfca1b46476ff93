/** Implementation of monitoring-http; not API, may change in any release. */
@NullMarked
package com.aicompanion.monitoring.http.internal;

import org.jspecify.annotations.NullMarked;
