package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The local topology's way in: {@code ObjectStoreApplication.start(Map)} with the standard
 * variables, twice on the same data dir, as a restart would.
 */
class EmbeddedStartTests {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsFromVariablesAndSeedingNeverOverwrites(@TempDir Path dataDir) throws Exception {
    Map<String, Object> variables =
        Map.of(
            "SHOP_BIND", "127.0.0.1",
            "SHOP_OBJECT_PORT", "0",
            "SHOP_ADMIN_PORT", "0",
            "SHOP_INSTANCE", "object-store-embedded",
            "SHOP_DATA_DIR", dataDir.toString());

    try (ConfigurableApplicationContext first = ObjectStoreApplication.start(variables)) {
      HttpResponse<String> seeded = get(first, "/images/course-1001.png");
      assertThat(seeded.statusCode()).isEqualTo(200);
      assertThat(seeded.headers().firstValue("X-Served-By")).hasValue("object-store-embedded");
      HttpResponse<String> replaced =
          SignedHttp.send(
              SignedHttp.sign(
                      "PUT",
                      uri(first, "/images/course-1001.png"),
                      "operator's own image".getBytes(StandardCharsets.UTF_8),
                      Map.of("Content-Type", "image/png"))
                  .toJdk());
      assertThat(replaced.statusCode()).isEqualTo(200);
    }

    try (ConfigurableApplicationContext second = ObjectStoreApplication.start(variables)) {
      assertThat(get(second, "/images/course-1001.png").body()).isEqualTo("operator's own image");
      assertThat(get(second, "/images/course-1002.png").statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(ConfigurableApplicationContext context, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(context, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ConfigurableApplicationContext context, String path) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
