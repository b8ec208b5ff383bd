package io.shopstack.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The stack's logging, set up in code when logback starts: what {@code logback.xml} says (one line
 * per event to standard output, the pattern below, {@code io.netty} and the test containers'
 * libraries quieter, the root level from {@code SHOP_LOG_LEVEL}, INFO by default), without
 * logback's XML configurator. That one parses the file with a SAX parser and builds a model of it
 * first: 0.37 s of the main thread in a DNS server's start on a 2-core machine (async-profiler),
 * before anything else could happen, where a zone of a million records must answer within 5 s.
 *
 * <p>Found by logback through {@code META-INF/services}. Whoever points logback at a file of their
 * own ({@code -Dlogback.configurationFile}) gets it: this then steps aside. {@code logback.xml}
 * stays beside it, saying the same, for Spring Boot's services, which configure logback again from
 * that file once they start.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(setting("SHOP_LOG_LEVEL"), Level.INFO));
    root.addAppender(console);
    context.getLogger("io.netty").setLevel(Level.INFO);
    context.getLogger("org.testcontainers").setLevel(Level.INFO);
    context.getLogger("com.github.dockerjava").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** As logback.xml's {@code ${NAME}}: a system property first, then the environment. */
  private static String setting(String name) {
    String value = System.getProperty(name);
    return value != null ? value : System.getenv(name);
  }
}
