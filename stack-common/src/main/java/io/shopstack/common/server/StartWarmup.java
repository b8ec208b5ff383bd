package io.shopstack.common.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Gets the slow one-time work of a Netty service's start going on a second thread while its {@code
 * main} reads the configuration: setting up logging, loading Netty's native epoll library, its
 * default buffer allocator and the metrics registry's classes. None of it depends on the
 * configuration, and all of it is class loading and static initialisation, which the JVM does once
 * and makes a thread that needs the same class wait for: whatever the warm-up has not finished when
 * {@code main} reaches it, {@code main} finishes, so the start is never slower, only shorter by
 * what ran beside it (Spring Boot's {@code BackgroundPreinitializer} does the same for its own
 * start). A DNS server of the stack measured this: its start to first answer is mostly such work,
 * on one core while the other idles.
 */
public final class StartWarmup {
  private StartWarmup() {}

  /** Starts the warm-up; returns at once. */
  public static void begin() {
    begin(List.of());
  }

  /**
   * Starts the warm-up, and with it the initialisation of {@code alsoInitialise} (a service's own
   * heavy classes, named without loading them here); returns at once. Failures are left to {@code
   * main}, which meets the same class and reports it properly.
   */
  public static void begin(List<String> alsoInitialise) {
    Thread warmup =
        new Thread(
            () -> {
              try {
                LoggerFactory.getLogger(StartWarmup.class);
                Epoll.isAvailable();
                ByteBufAllocator.DEFAULT.isDirectBufferPooled();
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
              } catch (LinkageError | RuntimeException e) {
                // main meets the same failure where it matters, with its own message
              }
              ClassLoader loader = StartWarmup.class.getClassLoader();
              for (String name : alsoInitialise) {
                try {
                  Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                  // likewise
                }
              }
            },
            "start-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }
}
