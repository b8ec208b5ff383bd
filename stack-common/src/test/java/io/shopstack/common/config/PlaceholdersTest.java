package io.shopstack.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  @Test
  void defaultsApplyWhenUnsetAndValuesWinWhenSet() {
    assertThat(Placeholders.expand("${SHOP_NET:-127}.28.0.2", Map.of())).isEqualTo("127.28.0.2");
    assertThat(Placeholders.expand("${SHOP_NET:-127}.28.0.2", Map.of("SHOP_NET", "172")))
        .isEqualTo("172.28.0.2");
  }

  @Test
  void emptyValueFallsBackToDefaultLikeAShell() {
    assertThat(Placeholders.expand("${PORT:-53}", Map.of("PORT", ""))).isEqualTo("53");
  }

  @Test
  void missingVariableWithoutDefaultIsNamed() {
    assertThatThrownBy(() -> Placeholders.expand("x ${ZONE_DIR} y", Map.of()))
        .hasMessageContaining("ZONE_DIR");
  }

  @Test
  void dollarSignsInValuesAreNotReinterpreted() {
    assertThat(Placeholders.expand("${A}", Map.of("A", "$1\\x"))).isEqualTo("$1\\x");
  }
}
