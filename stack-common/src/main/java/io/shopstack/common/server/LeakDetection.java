package io.shopstack.common.server;

import io.netty.util.ResourceLeakDetector;
import java.util.Properties;

/**
 * Netty's buffer leak detection in a running service: off unless the operator asks for it; every
 * Netty service's {@code main} calls this first. At its default level Netty tracks one buffer
 * allocation in 128, and every slice taken from a tracked buffer is tracked too, each with a
 * recorded stack trace: the DNS answers of a UDP read burst are slices of one buffer, so a sampled
 * burst cost a stack trace per answer in it (3 % of answers under the authoritative benchmark's
 * load, seen with JFR's exception events; user CPU per answer 2.30 us off against 2.88 us on).
 * Tests run with leak detection paranoid, every buffer tracked, so leaks are caught there; an
 * operator who suspects one in production sets {@code -Dio.netty.leakDetection.level=simple} (or
 * advanced, paranoid), which this leaves alone.
 */
public final class LeakDetection {
  public static final String LEVEL = "io.netty.leakDetection.level";

  /** The name Netty read before 4.1, which it still honours. */
  public static final String LEGACY_LEVEL = "io.netty.leakDetectionLevel";

  private LeakDetection() {}

  /** Turns detection off unless {@code properties} name a level. */
  public static void offUnlessAsked(Properties properties) {
    if (properties.getProperty(LEVEL) == null && properties.getProperty(LEGACY_LEVEL) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
