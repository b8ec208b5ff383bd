package io.shopstack.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  record Listen(String address, int port) {}

  record Sample(String name, Listen listen, List<String> backends) {}

  @Test
  void readsYamlIntoRecordsWithOverridesFromVariables(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sample.yml");
    Files.writeString(
        file,
        """
        name: slb
        listen:
          address: ${SHOP_NET:-127}.28.0.80
          port: ${HTTP_PORT:-8080}
        backends:
          - ${SHOP_NET:-127}.29.0.11:8080
          - ${SHOP_NET:-127}.29.0.12:8080
        """);
    Sample local = ConfigLoader.load(Sample.class, file.toString(), Map.of());
    Sample docker =
        ConfigLoader.load(
            Sample.class, file.toString(), Map.of("SHOP_NET", "172", "HTTP_PORT", "80"));

    assertThat(local.listen()).isEqualTo(new Listen("127.28.0.80", 8080));
    assertThat(docker.listen()).isEqualTo(new Listen("172.28.0.80", 80));
    assertThat(docker.backends()).containsExactly("172.29.0.11:8080", "172.29.0.12:8080");
  }

  @Test
  void unknownKeysAreRejectedSoTyposDoNotPassSilently(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("typo.yml");
    Files.writeString(file, "name: x\nbackend: [a]\n");
    assertThatThrownBy(() -> ConfigLoader.load(Sample.class, file.toString(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typo.yml")
        .hasMessageContaining("backend");
  }

  @Test
  void missingClasspathResourceIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(Sample.class, "classpath:nope.yml", Map.of()))
        .hasMessageContaining("nope.yml");
  }

  @Test
  void aFileOfManyReadChunksIsReadWholeAndUnchanged(@TempDir Path dir) throws Exception {
    // Three and a bit read chunks of UTF-8 text, not all of it ASCII.
    StringBuilder text = new StringBuilder();
    while (text.length() < 3_300_000) {
      text.append("n").append(text.length()).append(" IN TXT \"趣谈\"\n");
    }
    Path file = dir.resolve("big.zone");
    Files.writeString(file, text);

    assertThat(ConfigLoader.readFile(file)).isEqualTo(Files.readAllBytes(file));
    assertThat(ConfigLoader.readText(file.toString())).isEqualTo(text.toString());
    Path empty = Files.writeString(dir.resolve("empty.zone"), "");
    assertThat(ConfigLoader.readText(empty.toString())).isEmpty();
  }
}
