package io.shopstack.dns.authoritative;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.shopstack.common.testing.LogLines;
import java.util.List;

/** Everything logged while it is open, read from the root logger the way an operator sees it. */
final class LogCapture implements AutoCloseable {
  private final LogLines lines = LogLines.all();

  /**
   * Events at WARN or above, except those of dnsjava's client transports (the tests' own resolver;
   * the server's transport is Netty): on a busy machine that client may give up on a query and then
   * warn about the late answer ("Transaction for answer to id N not found").
   */
  List<ILoggingEvent> warnings() {
    return lines.events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> !e.getLoggerName().startsWith("org.xbill.DNS.Nio"))
        .toList();
  }

  @Override
  public void close() {
    lines.close();
  }
}
