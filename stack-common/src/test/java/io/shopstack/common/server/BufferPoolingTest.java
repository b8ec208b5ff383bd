package io.shopstack.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The pool's mode: Netty's full pool unless the operator chose one. */
class BufferPoolingTest {
  @Test
  void fullPoolWhenNobodyChose() {
    Properties properties = new Properties();
    BufferPooling.fullUnlessAsked(properties);
    assertThat(properties.getProperty(BufferPooling.LOW_MEMORY)).isEqualTo("false");
  }

  @Test
  void leftAsTheOperatorSetIt() {
    Properties asked = new Properties();
    asked.setProperty(BufferPooling.LOW_MEMORY, "true");
    BufferPooling.fullUnlessAsked(asked);
    assertThat(asked.getProperty(BufferPooling.LOW_MEMORY)).isEqualTo("true");
  }
}
