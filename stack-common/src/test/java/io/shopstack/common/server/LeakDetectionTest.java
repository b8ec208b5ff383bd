package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The running server's leak detection: off by default, as the operator set it when set. */
class LeakDetectionTest {
  private ResourceLeakDetector.Level before;

  @BeforeEach
  void remember() {
    before = ResourceLeakDetector.getLevel();
    // What a JVM without the property starts with (the tests' own JVM runs paranoid).
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
  }

  @AfterEach
  void restore() {
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void offWhenNobodyAskedForIt() {
    LeakDetection.offUnlessAsked(new Properties());
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
  }

  @Test
  void leftAsTheOperatorSetItUnderEitherName() {
    for (String name : new String[] {LeakDetection.LEVEL, LeakDetection.LEGACY_LEVEL}) {
      Properties asked = new Properties();
      asked.setProperty(name, "simple");
      LeakDetection.offUnlessAsked(asked);
      assertThat(ResourceLeakDetector.getLevel())
          .as(name)
          .isEqualTo(ResourceLeakDetector.Level.SIMPLE);
    }
  }
}
