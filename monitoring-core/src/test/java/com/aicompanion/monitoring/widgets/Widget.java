package com.aicompanion.monitoring.widgets;

/** A type in a package of its own, for the artifact-name convention. */
public final class Widget {
  private Widget() {}
}
