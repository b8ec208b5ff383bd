package io.shopstack.common.admin;

/** What {@code /health} reports: up or down, with a one-line reason a human can act on. */
public record Health(boolean isUp, String detail) {
  public static Health healthy() {
    return new Health(true, "ok");
  }

  public static Health unhealthy(String detail) {
    return new Health(false, detail);
  }
}
