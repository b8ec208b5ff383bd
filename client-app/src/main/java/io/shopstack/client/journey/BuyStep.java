package io.shopstack.client.journey;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.http.HttpRequest;
import io.shopstack.client.http.SocketHttpClient;
import io.shopstack.client.net.KernelRoute;
import io.shopstack.client.net.PacketPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Step 3: the purchase. One TCP connection to the shop's virtual IP; the SLB splices it to an
 * order-service instance, which learns this connection's client end from the PROXY header.
 */
public final class BuyStep {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the purchase produced; exchange and order are null when it never got an answer, path when
   * there was no VIP to send it to.
   */
  public record Outcome(
      HttpExchange exchange, OrderResult order, PacketPath path, StepResult result) {}

  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private final ClientConfig config;
  private final SocketHttpClient http;
  private final JourneyPrinter out;
  private final String idempotencyKey;
  private final boolean showPath;

  /**
   * @param idempotencyKey sent as {@code Idempotency-Key} so a retry cannot order twice; null sends
   *     none
   */
  public BuyStep(
      ClientConfig config, SocketHttpClient http, JourneyPrinter out, String idempotencyKey) {
    this(config, http, out, idempotencyKey, false);
  }

  private BuyStep(
      ClientConfig config,
      SocketHttpClient http,
      JourneyPrinter out,
      String idempotencyKey,
      boolean showPath) {
    this.config = config;
    this.http = http;
    this.out = out;
    this.idempotencyKey = idempotencyKey;
    this.showPath = showPath;
  }

  /**
   * The same purchase, followed by the whole path its packets took: the hops to the VIP (a TTL
   * probe, about a second) and the routers' captures of its SYN. For the journey, not for every
   * order of a load run.
   */
  public BuyStep showingPath() {
    return new BuyStep(config, http, out, idempotencyKey, true);
  }

  /**
   * @param number the step's number in what is printed
   * @param shopAddress the address of the shop's name from step 1, or null
   */
  public Outcome run(int number, String shopAddress) {
    long start = System.nanoTime();
    List<StepResult.Problem> problems = new ArrayList<>();
    out.step(
        number,
        "Buy",
        shopAddress == null
            ? "POST /purchaseOrder to %s: not sent, step 1 found no address"
                .formatted(config.shopHost())
            : "POST /purchaseOrder to %s = %s:%d, the SLB's virtual IP"
                .formatted(config.shopHost(), shopAddress, config.httpPort()));
    HttpExchange exchange = null;
    OrderResult order = null;
    PacketPath path = null;
    if (shopAddress == null) {
      problems.add(
          new StepResult.Problem(
              Failure.DNS, "no address for " + config.shopHost() + " (step 1 failed)"));
    } else {
      try {
        InetSocketAddress vip =
            new InetSocketAddress(
                ClientConfig.ipLiteral(shopAddress, "shop address"), config.httpPort());
        exchange = post(vip);
        path = printPath(exchange.local(), vip);
        order = orderOf(exchange);
        out.note("order-service answered: " + order.body());
        if (exchange.status() != 201) {
          problems.add(
              http(
                  "status %d from %s (X-Served-By: %s): %s"
                      .formatted(
                          exchange.status(),
                          JourneyPrinter.endpoint(exchange.remote()),
                          order.servedBy(),
                          order.body())));
        } else if (order.location() == null) {
          problems.add(http("201 Created without a Location for the new order"));
        } else {
          out.note(
              "order "
                  + order.orderId()
                  + " created at "
                  + order.location()
                  + " by "
                  + order.servedBy());
        }
      } catch (IOException e) {
        problems.add(new StepResult.Problem(Failure.ofExchange(e), e.getMessage()));
        if (exchange == null) {
          // Where the packets would have gone is the first thing to know about a failed connect.
          path = printPath(null, vipOf(shopAddress));
        }
      }
    }
    problems.forEach(p -> out.problem(p.text()));
    String summary =
        order == null
            ? "no order"
            : "status %d, order %s at %s, served by %s"
                .formatted(order.status(), order.orderId(), order.location(), order.servedBy());
    return new Outcome(
        exchange,
        order,
        path,
        new StepResult("buy", summary, problems, Duration.ofNanos(System.nanoTime() - start)));
  }

  private InetSocketAddress vipOf(String shopAddress) {
    try {
      return new InetSocketAddress(
          ClientConfig.ipLiteral(shopAddress, "shop address"), config.httpPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * How the request's packets left the phone, as the kernel tells it after the fact: the route to
   * the VIP and the MAC of its gateway (the router that rewrites the frames; the IP addresses stay
   * the phone's and the VIP's); with {@link #showingPath} also every hop and what each router did
   * to this connection's SYN. Null when there is no VIP.
   */
  private PacketPath printPath(InetSocketAddress local, InetSocketAddress vip) {
    if (vip == null) {
      return null;
    }
    PacketPath path = showPath ? PacketPath.observe(local, vip) : PacketPath.routeOnly(vip);
    if (path.route() == null) {
      printNoRoute(vip);
    } else {
      printRoute(path.route(), path.gateway());
    }
    if (showPath) {
      PathPrinter.print(path, vip, out);
    }
    return path;
  }

  private void printNoRoute(InetSocketAddress vip) {
    out.note(
        "kernel route to "
            + vip.getAddress().getHostAddress()
            + ": not known here (no ip command)");
  }

  private void printRoute(KernelRoute r, KernelRoute.Neighbour gateway) {
    out.note("kernel route: " + r.line() + " (ip route get)");
    if (r.gateway() == null) {
      out.note("no gateway: the VIP is reached directly on " + r.device());
    } else if (gateway == null) {
      out.note("gateway " + r.gateway() + ": not in the neighbour table");
    } else {
      out.note(
          "gateway %s is %s on %s (neighbour table, %s): the request's frames went to that MAC"
              .formatted(r.gateway(), gateway.mac(), r.device(), gateway.state()));
    }
  }

  private static StepResult.Problem http(String text) {
    return new StepResult.Problem(Failure.HTTP, text);
  }

  private HttpExchange post(InetSocketAddress vip) throws IOException {
    byte[] body = config.orderBody().getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.post(config.shopHost(), "/purchaseOrder", CONTENT_TYPE, body);
    if (idempotencyKey != null) {
      request = request.withHeader("Idempotency-Key", idempotencyKey);
      out.note("Idempotency-Key: " + idempotencyKey + " (a retry with it cannot order twice)");
    }
    out.request(
        request, "http://" + config.shopHost() + ":" + config.httpPort() + "/purchaseOrder");
    out.note("body (" + body.length + " bytes UTF-8): " + config.orderBody());
    HttpExchange exchange = http.send(vip, request, out.connectionPrinter());
    out.response(exchange, List.of("Location", "X-Served-By", "Content-Type"));
    recordedClient(exchange.response().bodyText())
        .ifPresent(
            recorded -> {
              String phone = exchange.local().getAddress().getHostAddress();
              // Observed, not assumed: what the order service stored, beside this socket's own
              // address. They match only if the SLB passed the client's address on (PROXY v2).
              out.note(
                  "the shop recorded the client as "
                      + recorded
                      + (recorded.equals(phone)
                          ? ": this phone's own address, passed on by the SLB"
                          : "; this phone connected from " + phone + ": they differ"));
            });
    return exchange;
  }

  /** The {@code clientAddress} of the order the shop answered with, if it said one. */
  static Optional<String> recordedClient(String json) {
    try {
      JsonNode address = JSON.readTree(json).path("clientAddress");
      return address.isTextual() ? Optional.of(address.asText()) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty(); // not JSON: the status and body are printed already
    }
  }

  static OrderResult orderOf(HttpExchange exchange) {
    String location = exchange.header("Location");
    return new OrderResult(
        exchange.status(),
        location,
        location == null ? null : lastSegment(location),
        exchange.header("X-Served-By"),
        exchange.response().bodyText());
  }

  private static String lastSegment(String location) {
    String path;
    try {
      path = URI.create(location.strip()).getPath();
    } catch (IllegalArgumentException e) {
      path = location;
    }
    if (path == null || path.isEmpty()) {
      return null;
    }
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
