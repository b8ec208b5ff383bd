package io.shopstack.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logback is set up by {@link ConsoleLogging} (found through META-INF/services), the same way the
 * {@code logback.xml} beside it says, which Spring Boot's services still read; a file of one's own
 * ({@code -Dlogback.configurationFile}) takes over.
 */
class ConsoleLoggingTest {
  @AfterEach
  void clear() {
    System.clearProperty("SHOP_LOG_LEVEL");
    System.clearProperty("logback.configurationFile");
  }

  @Test
  void thisJvmsLoggingWasSetUpInCode() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo(ConsoleLogging.PATTERN);
    // Logback's XML configurator records the file it read; it did not run.
    assertThat(ConfigurationWatchListUtil.getMainWatchURL(context)).as("a file read").isNull();
  }

  @Test
  void saysWhatLogbackXmlSays() throws Exception {
    String xml;
    try (InputStream in = getClass().getResourceAsStream("/logback.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    LoggerContext context = configured();
    assertThat(xml).contains("<pattern>" + ConsoleLogging.PATTERN + "</pattern>");
    for (String name : new String[] {"io.netty", "org.testcontainers", "com.github.dockerjava"}) {
      assertThat(xml)
          .contains(
              "<logger name=\""
                  + name
                  + "\" level=\""
                  + context.getLogger(name).getLevel()
                  + "\"/>");
    }
    assertThat(xml).contains("<root level=\"${SHOP_LOG_LEVEL:-INFO}\">");
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void theRootLevelComesFromShopLogLevel() {
    System.setProperty("SHOP_LOG_LEVEL", "WARN");
    assertThat(configured().getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void aConfigurationFileOfOnesOwnTakesOver() {
    System.setProperty("logback.configurationFile", "/etc/shop/logback.xml");
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }
}
