package io.shopstack.dns.authoritative;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Everything logged while it is open, read from the root logger the way an operator sees it. */
final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  /**
   * Events at WARN or above, except those of dnsjava's client transports (the tests' own resolver;
   * the server's transport is Netty): on a busy machine that client may give up on a query and then
   * warn about the late answer ("Transaction for answer to id N not found").
   */
  List<ILoggingEvent> warnings() {
    // Logback appends under the appender's own lock (AppenderBase.doAppend is synchronized),
    // not the list's: reading under the same lock keeps a logging thread from adding mid-read.
    synchronized (appender) {
      return appender.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .filter(e -> !e.getLoggerName().startsWith("org.xbill.DNS.Nio"))
          .toList();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
