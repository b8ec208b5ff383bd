package io.shopstack.slb.health;

import java.time.Duration;
import java.util.Locale;

/**
 * How the SLB probes each backend of its pool, as HAProxy's {@code check inter fall rise} with
 * {@code option httpchk}. Missing values take the defaults below.
 *
 * @param type {@code tcp} (a connect that completes is a pass), {@code http} (a {@code GET path}
 *     answered with {@code expectStatus} is a pass) or {@code none} (backends stay as they are)
 * @param port where to probe; 0 means the backend's own port (an actuator usually has another)
 * @param path the HTTP path to GET, e.g. the order service's readiness
 * @param expectStatus the HTTP status that counts as a pass
 * @param intervalMillis time between two probes of one backend
 * @param timeoutMillis how long one probe may take before it counts as a failure (HAProxy's {@code
 *     timeout check}); unset (0), the interval, as HAProxy uses {@code inter} then
 * @param rise consecutive passes that put a DOWN backend back in rotation
 * @param fall consecutive failures that take an UP backend out of rotation
 */
public record HealthCheck(
    String type,
    Integer port,
    String path,
    Integer expectStatus,
    Integer intervalMillis,
    Integer timeoutMillis,
    Integer rise,
    Integer fall) {

  /** A TCP connect every 2 s, 2 s to answer, down after 3 failures, up after 2 passes. */
  public static final HealthCheck DEFAULT = new HealthCheck("tcp", 0, null, 0, 0, 0, 0, 0);

  /** No active checks: backends stay in rotation, and failed client connects only fail over. */
  public static final HealthCheck NONE = new HealthCheck("none", 0, null, 0, 0, 0, 0, 0);

  public HealthCheck {
    type = type == null || type.isBlank() ? "tcp" : type.trim().toLowerCase(Locale.ROOT);
    if (!type.equals("tcp") && !type.equals("http") && !type.equals("none")) {
      throw new IllegalArgumentException(
          "slb: healthCheck.type must be tcp, http or none, got '" + type + "'");
    }
    port = orDefault(port, 0);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("slb: healthCheck.port out of range: " + port);
    }
    path = path == null || path.isBlank() ? "/health" : path;
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
      throw new IllegalArgumentException("slb: healthCheck.path must be an absolute URL path");
    }
    expectStatus = orDefault(expectStatus, 200);
    intervalMillis = orDefault(intervalMillis, 2000);
    // A probe's verdict must not hang on the machine's worst second: a backend slow to answer its
    // check while the whole host is loaded is not dead. HAProxy gives a check all of "inter".
    timeoutMillis = orDefault(timeoutMillis, intervalMillis);
    rise = orDefault(rise, 2);
    fall = orDefault(fall, 3);
    if (intervalMillis < 0 || timeoutMillis < 0 || rise < 0 || fall < 0) {
      throw new IllegalArgumentException("slb: healthCheck values must not be negative");
    }
  }

  /** Absent (null, as YAML leaves a missing key) or 0: the default. */
  private static int orDefault(Integer value, int otherwise) {
    return value == null || value == 0 ? otherwise : value;
  }

  /** A TCP connect check with the given timing. */
  public static HealthCheck tcp(int intervalMillis, int timeoutMillis, int rise, int fall) {
    return new HealthCheck("tcp", 0, null, 0, intervalMillis, timeoutMillis, rise, fall);
  }

  /**
   * An HTTP GET check on {@code port} (0: the backend's) and {@code path}, with the given timing.
   */
  public static HealthCheck http(
      int port, String path, int intervalMillis, int timeoutMillis, int rise, int fall) {
    return new HealthCheck("http", port, path, 200, intervalMillis, timeoutMillis, rise, fall);
  }

  /**
   * In HAProxy's words, for a reload's answer: {@code tcp inter 2000 timeout 2000 rise 2 fall 3},
   * {@code http GET :8081/actuator/health/readiness expect 200 inter ...}, or {@code none}.
   */
  public String summary() {
    if (!enabled()) {
      return "none";
    }
    String timing =
        "inter " + intervalMillis + " timeout " + timeoutMillis + " rise " + rise + " fall " + fall;
    if (type.equals("tcp")) {
      return "tcp" + (port == 0 ? "" : " port " + port) + " " + timing;
    }
    return "http GET "
        + (port == 0 ? "" : ":" + port)
        + path
        + " expect "
        + expectStatus
        + " "
        + timing;
  }

  public boolean enabled() {
    return !type.equals("none");
  }

  public Duration interval() {
    return Duration.ofMillis(intervalMillis);
  }
}
