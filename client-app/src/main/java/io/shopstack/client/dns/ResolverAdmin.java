package io.shopstack.client.dns;

import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.http.SocketHttpClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local resolver's admin endpoint, asked how it found an answer ({@code GET
 * /trace?name=&type=}), so the journey shows the iteration from the server that did it instead of
 * describing it. A resolver that keeps no trace (another product, an older build) answers 404: the
 * journey then says so and goes on.
 */
public final class ResolverAdmin {
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final InetSocketAddress admin;
  private final SocketHttpClient http;

  public ResolverAdmin(InetSocketAddress admin, SocketHttpClient http) {
    this.admin = admin;
    this.http = http;
  }

  /** The URL a user can open (curl) to see the same trace. */
  public String traceUrl(String name, String type) {
    return "http://%s%s".formatted(StubResolver.describe(admin), tracePath(name, type));
  }

  /**
   * The last iteration for (name, type), empty when the resolver recorded none (404).
   *
   * @throws IOException when the admin endpoint cannot be reached or answers something else
   */
  public Optional<IterationTrace> trace(String name, String type) throws IOException {
    HttpExchange exchange =
        http.send(
            admin, HttpRequest.get(admin.getAddress().getHostAddress(), tracePath(name, type)));
    if (exchange.status() == 404) {
      return Optional.empty();
    }
    if (exchange.status() != 200) {
      throw new IOException(
          "resolver admin %s answered %s to %s"
              .formatted(
                  StubResolver.describe(admin),
                  exchange.response().statusLine(),
                  tracePath(name, type)));
    }
    try {
      return Optional.of(JSON.readValue(exchange.response().body(), IterationTrace.class));
    } catch (JacksonException e) {
      throw new IOException(
          "resolver admin %s sent a trace that is not the expected JSON: %s"
              .formatted(StubResolver.describe(admin), e.getOriginalMessage()),
          e);
    }
  }

  private static String tracePath(String name, String type) {
    return "/trace?name=%s&type=%s"
        .formatted(
            URLEncoder.encode(name, StandardCharsets.UTF_8),
            URLEncoder.encode(type, StandardCharsets.UTF_8));
  }
}
