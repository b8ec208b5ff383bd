package io.shopstack.slb.operations;

import java.util.Locale;

/**
 * What a runtime API socket lets its clients do, HAProxy's {@code stats socket ... level}: {@code
 * user} may look ({@code show servers state}, {@code help}), {@code operator} may also steer
 * backends that are there ({@code set server ... state|weight}), {@code admin} may also change the
 * pool and the process ({@code add server}, {@code del server}, {@code reload}, and hand the
 * listening sockets over with {@code _getsocks}). One socket, one level; give a monitoring system
 * its own SLB-side level by giving it its own socket.
 */
public enum RuntimeLevel {
  USER,
  OPERATOR,
  ADMIN;

  /** {@code user}, {@code operator} or {@code admin}; absent or blank is {@code admin}. */
  public static RuntimeLevel of(String name) {
    if (name == null || name.isBlank()) {
      return ADMIN;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "slb: runtimeApiLevel must be user, operator or admin, got '" + name + "'", e);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Refuses {@code command} unless this level reaches {@code needed}. */
  void require(RuntimeLevel needed, String command) {
    if (compareTo(needed) < 0) {
      throw new IllegalArgumentException(
          "permission denied: "
              + command
              + " needs level "
              + needed.label()
              + ", this socket is "
              + label());
    }
  }
}
