package io.shopstack.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {
  @Test
  void colourOnAConsoleUnlessNoColorOrADumbTerminalSaysOtherwise() {
    assertThat(Terminal.detect(Map.of("TERM", "xterm-256color"), true))
        .isEqualTo(new Terminal(true, true));
    // https://no-color.org: set and not empty turns colour off, the bar stays.
    assertThat(Terminal.detect(Map.of("TERM", "xterm", "NO_COLOR", "1"), true))
        .isEqualTo(new Terminal(true, false));
    assertThat(Terminal.detect(Map.of("TERM", "xterm", "NO_COLOR", ""), true))
        .isEqualTo(new Terminal(true, true));
    assertThat(Terminal.detect(Map.of("TERM", "dumb"), true)).isEqualTo(Terminal.PLAIN);
    // A pipe, a file, the compose demo's log: plain.
    assertThat(Terminal.detect(Map.of("TERM", "xterm"), false)).isEqualTo(Terminal.PLAIN);
  }
}
