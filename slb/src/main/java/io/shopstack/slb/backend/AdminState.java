package io.shopstack.slb.backend;

import java.util.Locale;

/**
 * What the operator has asked of a backend, apart from what its health checks say (HAProxy's {@code
 * set server ... state ready|drain|maint}). Connections already spliced to it are never cut.
 */
public enum AdminState {
  /** In rotation whenever its checks say UP. */
  READY,
  /** No new connections; the open ones finish; checks go on, so it can come back at once. */
  DRAIN,
  /** No new connections and no checks: taken out for work; coming back it must pass rise checks. */
  MAINT;

  /** Reads {@code ready}, {@code drain} or {@code maint}, any case. */
  public static AdminState of(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "backend state must be ready, drain or maint, got '" + value + "'", e);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
