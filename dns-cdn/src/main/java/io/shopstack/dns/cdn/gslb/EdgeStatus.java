package io.shopstack.dns.cdn.gslb;

/** Whether an edge may receive clients, and if not, why (the explanation names it). */
public enum EdgeStatus {
  UP,
  /** Its health checks failed {@code fall} times in a row. */
  DOWN,
  /** Taken out by an operator for maintenance: out of answers at once, whatever its health. */
  DRAINED;

  public boolean servesClients() {
    return this == UP;
  }
}
