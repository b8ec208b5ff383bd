package io.shopstack.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty's leak reports into test failures. Netty only logs a leaked buffer, when the garbage
 * collector finds it; this records the reports and fails the test class after which they appear.
 * Shipped in stack-common's test jar and registered for every test class of every module that
 * depends on it, by auto-detection (META-INF/services; the parent pom turns auto-detection on), so
 * it is in place before the first buffer is made; run with {@code
 * -Dio.netty.leakDetection.level=paranoid}, as the parent pom does, every buffer is tracked.
 */
public final class LeakCheck implements AfterAllCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
              @Override
              protected void reportTracedLeak(String resourceType, String records) {
                LEAKS.add(resourceType + records);
                super.reportTracedLeak(resourceType, records);
              }

              @Override
              protected void reportUntracedLeak(String resourceType) {
                LEAKS.add(resourceType);
                super.reportUntracedLeak(resourceType);
              }
            };
          }
        });
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    // Leaks are found when a lost buffer is collected and the next buffer is tracked.
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      ByteBufAllocator.DEFAULT.directBuffer(1).release();
      ByteBufAllocator.DEFAULT.heapBuffer(1).release();
    }
    List<String> found = List.copyOf(LEAKS);
    LEAKS.clear();
    assertThat(found).as("ByteBuf leaks reported by Netty").isEmpty();
  }
}
