package io.shopstack.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole application on real sockets (127.0.0.1, random ports) with an H2 file database in a
 * temporary directory. Every test class extending this shares one started application.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      OrderServiceApplication.CONFIG,
      "server.address=127.0.0.1",
      "management.server.address=127.0.0.1",
      "management.server.port=0",
      "shop.instance=order-test"
    })
public abstract class ShopHttpTest {

  protected static final String INSTANCE = "order-test";

  /** The request of DESIGN.md, byte for byte. */
  protected static final String DESIGN_ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\","
          + " \"price\": \"68\"}}";

  protected static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Path DATA_DIR = temporaryDirectory();

  protected static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @LocalServerPort protected int port;

  @LocalManagementPort protected int adminPort;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:file:"
                + DATA_DIR.resolve("orders")
                + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE");
  }

  protected URI shop(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  protected URI admin(String path) {
    return URI.create("http://127.0.0.1:" + adminPort + path);
  }

  protected static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
  }

  protected static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected HttpResponse<String> postJson(String body) {
    return send(
        request(shop("/purchaseOrder"))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static Path temporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("order-service-test");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
