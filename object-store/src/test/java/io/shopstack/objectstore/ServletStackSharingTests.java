package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.othersvc.OtherService;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The local topology's situation: Tomcat and Jetty on one class path. The store runs on Jetty (its
 * 100 Continue is what Debian's botocore needs); any other Spring service (order-service) keeps
 * Tomcat, as it has in its own container.
 */
class ServletStackSharingTests {

  @Test
  void theStoreGetsJettyAndAnotherServiceKeepsTomcat() {
    Map<String, Object> variables =
        Map.of(
            "SHOP_BIND", "127.0.0.1",
            "SHOP_OBJECT_PORT", "0",
            "SHOP_ADMIN_PORT", "0",
            "SHOP_DATA_DIR", TestDataDir.DIR.resolve("sharing").toString());
    try (ConfigurableApplicationContext store = ObjectStoreApplication.start(variables);
        ConfigurableApplicationContext other =
            new SpringApplicationBuilder(OtherService.class)
                .bannerMode(Banner.Mode.OFF)
                .properties(
                    "server.port=0",
                    "server.address=127.0.0.1",
                    "management.server.port=0",
                    "management.server.address=127.0.0.1")
                .run()) {
      assertThat(server(store)).contains("Jetty");
      assertThat(server(other)).contains("Tomcat");
    }
  }

  private static String server(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName();
  }
}
