package io.shopstack.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.system.ShopProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code --config=FILE} (the {@code config} property a command line sets) replaces
 * order-service.yml, as it replaces a Netty service's file: the shop reads only the given file.
 */
class ConfigFileTests {
  @TempDir Path dir;

  @Test
  void aGivenFileReplacesTheOneInTheJar() throws Exception {
    String shipped =
        new String(
            new ClassPathResource("order-service.yml").getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(shipped).contains("instance: ${SHOP_INSTANCE:order-1}");
    Path file = dir.resolve("mine.yml");
    Files.writeString(
        file, shipped.replace("instance: ${SHOP_INSTANCE:order-1}", "instance: from-my-file"));

    try (ConfigurableApplicationContext shop =
        OrderServiceApplication.start(
            Map.of(
                "config",
                file.toString(),
                "SHOP_BIND",
                "127.0.0.1",
                "SHOP_ORDER_PORT",
                0,
                "SHOP_ADMIN_PORT",
                0,
                "SHOP_DB_URL",
                "jdbc:h2:file:" + dir.resolve("orders") + ";MODE=PostgreSQL"))) {
      assertThat(shop.getBean(ShopProperties.class).instance()).isEqualTo("from-my-file");
    }
  }
}
