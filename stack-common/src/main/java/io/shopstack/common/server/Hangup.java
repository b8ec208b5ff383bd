package io.shopstack.common.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -HUP} as daemons take it: read the configuration again (nginx, HAProxy's master,
 * BIND's {@code rndc reload}). Installed before a service's start-up line, so that a SIGHUP sent on
 * that line reloads instead of meeting the JVM's default handler, which ends the process.
 */
public final class Hangup {
  private static final Logger log = LoggerFactory.getLogger(Hangup.class);

  private Hangup() {}

  /**
   * Runs {@code reload} on the JDK's signal thread at each SIGHUP. Where the signal cannot be
   * caught (a process started under {@code nohup} inherits SIGHUP ignored, and the JVM then keeps
   * it so; {@code -Xrs}), says so and names {@code otherWay}, the reload that still works.
   */
  @SuppressWarnings("restriction") // sun.misc.Signal: the JDK's only way to catch a signal
  public static void reloads(Runnable reload, String otherWay) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload.run());
    } catch (IllegalArgumentException kept) {
      log.warn("no reload on SIGHUP in this process ({}); use {}", kept.getMessage(), otherWay);
    }
  }
}
