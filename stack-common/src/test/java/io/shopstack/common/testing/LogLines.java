package io.shopstack.common.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything one logger (and the loggers under it) logs while this is open, for tests that check
 * what an operator would read in the log. Servers log from their own threads while a test reads:
 * logback appends under the appender's own monitor (AppenderBase.doAppend is synchronized), not the
 * list's, so every read and clear here takes that monitor (an unguarded stream over the list threw
 * ConcurrentModificationException in CI).
 */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogLines(Logger logger) {
    this.logger = logger;
    appender.start();
    logger.addAppender(appender);
  }

  /** What {@code name} and the loggers under it log. */
  public static LogLines of(String name) {
    return new LogLines((Logger) LoggerFactory.getLogger(name));
  }

  /** Everything logged, from the root logger. */
  public static LogLines all() {
    return of(Logger.ROOT_LOGGER_NAME);
  }

  /** The events so far, in order. */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** The formatted messages so far, in order. */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Forgets what was logged so far. */
  public void clear() {
    synchronized (appender) {
      appender.list.clear();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
