package io.shopstack.client.diagram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The journey's sequence diagram, drawn only from the journey's JSON document (the same facts
 * {@code --json} prints): a host appears because a DNS message, a resolver trace, a response header
 * or the kernel's route named it, and every arrow carries the time it took as measured. Lifelines
 * left to right: the phone, its resolver, the name servers the resolver asked, the edge, the caches
 * and stores behind it, a router when the kernel's route to the VIP has a gateway, the SLB's VIP,
 * and the shop's instances.
 */
final class JourneyDiagram {
  static final String PHONE = "phone";
  static final String RESOLVER = "resolver";
  static final String EDGE = "edge";
  static final String SLB = "slb";
  static final String GSLB = "gslb";

  private final JsonNode journey;
  private final SequenceDiagram diagram = new SequenceDiagram();

  private JourneyDiagram(JsonNode journey) {
    this.journey = journey;
  }

  static SequenceDiagram of(JsonNode journey) {
    return new JourneyDiagram(journey).draw();
  }

  private SequenceDiagram draw() {
    addHosts();
    resolve();
    pictures();
    buy();
    return diagram;
  }

  /** Every lifeline first, in the order of the journey's layers, so arrows read left to right. */
  private void addHosts() {
    JsonNode resolve = journey.path("resolve");
    diagram.host(PHONE, "phone", phoneAddress());
    diagram.host(RESOLVER, "resolver", text(resolve.path("shop").path("server")));
    for (JsonNode trace : resolve.path("traces")) {
      for (JsonNode step : trace.path("steps")) {
        if (isServer(step)) {
          diagram.host(dnsId(step), dnsTitle(text(step.path("zone"))), text(step.path("server")));
        }
      }
    }
    if (!resolve.path("gslb").isNull() && !resolve.path("gslb").isMissingNode()) {
      String cdnServer = cdnServerId();
      if (cdnServer == null) {
        diagram.host(GSLB, "CDN DNS (GSLB)", "");
      }
    }
    JsonNode pictures = journey.path("pictures");
    List<JsonNode> exchanges = pictureExchanges();
    if (!exchanges.isEmpty()) {
      diagram.host(EDGE, edgeName(exchanges.get(0)), text(resolve.path("edgeAddress")));
    }
    String application = origins(pictures.path("page")).stream().findFirst().orElse(null);
    for (JsonNode exchange : exchanges) {
      for (String origin : origins(exchange)) {
        if (!origin.equals(application)) {
          diagram.host(origin, origin, "");
        }
      }
    }
    JsonNode buy = journey.path("buy");
    for (String router : routers()) {
      diagram.host("router:" + router, routerName(router).orElse("router"), router);
    }
    if (!buy.path("exchange").isNull() && !buy.path("exchange").isMissingNode()) {
      diagram.host(SLB, "SLB (VIP)", text(resolve.path("shopAddress")));
    }
    if (application != null) {
      diagram.host(application, application, "shop application");
    }
    String servedBy = text(buy.path("servedBy"));
    if (!servedBy.isEmpty()) {
      diagram.host(servedBy, servedBy, "order instance");
    }
  }

  private void resolve() {
    JsonNode resolve = journey.path("resolve");
    diagram.section("1. Resolve (" + stepMillis("resolve") + ")");
    JsonNode traces = resolve.path("traces");
    lookup(resolve.path("shop"), traceFor(traces, resolve.path("shop")));
    lookup(resolve.path("static"), traceFor(traces, resolve.path("static")));
    JsonNode gslb = resolve.path("gslb");
    if (gslb.isObject()) {
      String on = cdnServerId() != null ? cdnServerId() : GSLB;
      diagram.note(
          "resolve",
          on,
          "GSLB: client %s, %s -> region %s, %s"
              .formatted(
                  text(gslb.path("clientRegion")),
                  text(gslb.path("reason")),
                  text(gslb.path("region")),
                  String.join(" ", strings(gslb.path("chosen")))));
    }
  }

  private void lookup(JsonNode lookup, JsonNode trace) {
    if (!lookup.isObject()) {
      return;
    }
    String question = text(lookup.path("question")) + " " + text(lookup.path("type"));
    diagram.call("resolve", PHONE, RESOLVER, question + "?");
    if (trace != null) {
      for (JsonNode step : trace.path("steps")) {
        if (isServer(step)) {
          String id = dnsId(step);
          diagram.call("resolve", RESOLVER, id, text(step.path("question")) + "?");
          diagram.reply(
              "resolve",
              id,
              RESOLVER,
              "%s (%d ms)".formatted(text(step.path("outcome")), step.path("rttMillis").asLong()));
        } else {
          diagram.note("resolve", RESOLVER, text(step.path("outcome")));
        }
      }
    }
    List<String> answers = new ArrayList<>();
    for (JsonNode answer : lookup.path("answers")) {
      answers.add(text(answer.path("type")) + " " + text(answer.path("data")));
    }
    diagram.reply(
        "resolve",
        RESOLVER,
        PHONE,
        "%s %s (%d ms)"
            .formatted(
                text(lookup.path("rcode")),
                String.join(", ", answers),
                lookup.path("tookMillis").asLong()));
  }

  private void pictures() {
    List<JsonNode> exchanges = pictureExchanges();
    diagram.section("2. Look at pictures (" + stepMillis("pictures") + ")");
    for (JsonNode exchange : exchanges) {
      diagram.call(
          "pictures",
          PHONE,
          EDGE,
          "GET %s (TCP %d ms)"
              .formatted(text(exchange.path("target")), exchange.path("connectMillis").asLong()));
      String verdict = text(exchange.path("headers").path("X-Cache"));
      if (verdict.toUpperCase().contains("HIT")) {
        diagram.note(
            "pictures", EDGE, "HIT: from the edge's cache, Age " + header(exchange, "Age"));
      } else {
        behindTheEdge(exchange);
      }
      diagram.reply(
          "pictures",
          EDGE,
          PHONE,
          "%d %s, %d bytes (%d ms)"
              .formatted(
                  exchange.path("status").asInt(),
                  verdict,
                  exchange.path("bodyBytes").asLong(),
                  exchange.path("totalMillis").asLong()));
    }
  }

  /** A miss goes inward hop by hop, as X-Served-By names them (origin first). */
  private void behindTheEdge(JsonNode exchange) {
    List<String> inward = new ArrayList<>(origins(exchange));
    java.util.Collections.reverse(inward);
    if (inward.size() > 1 && header(exchange, "X-Cache-Origin").toUpperCase().contains("HIT")) {
      inward = inward.subList(0, 1); // the cache behind the edge had it: nobody further was asked
    }
    String from = EDGE;
    for (String hop : inward) {
      if (!diagram.has(hop)) {
        continue;
      }
      diagram.call("pictures", from, hop, "GET " + text(exchange.path("target")) + " (miss)");
      from = hop;
    }
    for (int i = inward.size() - 1; i >= 0; i--) {
      String hop = inward.get(i);
      String to = i == 0 ? EDGE : inward.get(i - 1);
      if (diagram.has(hop) && diagram.has(to)) {
        String cache = i == 0 ? header(exchange, "X-Cache-Origin") : "";
        diagram.reply("pictures", hop, to, "200" + (cache.equals("-") ? "" : " " + cache));
      }
    }
  }

  private void buy() {
    JsonNode buy = journey.path("buy");
    diagram.section("3. Buy (" + stepMillis("buy") + ")");
    JsonNode exchange = buy.path("exchange");
    if (!exchange.isObject()) {
      diagram.note("buy", PHONE, "no purchase: " + firstProblem("buy"));
      return;
    }
    String from = PHONE;
    String request =
        "POST /purchaseOrder (TCP %s -> %s, %d ms)"
            .formatted(
                text(exchange.path("local")),
                text(exchange.path("remote")),
                exchange.path("connectMillis").asLong());
    String mac = text(buy.path("path").path("gatewayMac"));
    for (String router : routers()) {
      diagram.call("buy", from, "router:" + router, request);
      if (from.equals(PHONE) && !mac.isEmpty()) {
        diagram.note("buy", "router:" + router, "gateway MAC " + mac + " (neighbour table)");
      }
      crossing(router)
          .ifPresent(
              c ->
                  diagram.note(
                      "buy",
                      "router:" + router,
                      "SYN in ttl %s %s > %s, out ttl %s %s > %s (its capture)"
                          .formatted(
                              c.path("in").path("ttl").asText(),
                              text(c.path("in").path("sourceMac")),
                              text(c.path("in").path("destinationMac")),
                              c.path("out").path("ttl").asText(),
                              text(c.path("out").path("sourceMac")),
                              text(c.path("out").path("destinationMac")))));
      request = "POST /purchaseOrder (forwarded)";
      from = "router:" + router;
    }
    diagram.call("buy", from, SLB, request);
    String servedBy = text(buy.path("servedBy"));
    if (!servedBy.isEmpty()) {
      diagram.call("buy", SLB, servedBy, "spliced + PROXY v2 (client " + phoneAddress() + ")");
      diagram.note(
          "buy",
          servedBy,
          "order %s, client %s recorded"
              .formatted(text(buy.path("orderId")), text(buy.path("clientAddress"))));
      diagram.reply("buy", servedBy, SLB, exchange.path("status").asInt() + "");
    }
    String back = SLB;
    List<String> routers = routers();
    for (int i = routers.size() - 1; i >= 0; i--) {
      diagram.reply("buy", back, "router:" + routers.get(i), exchange.path("status").asInt() + "");
      back = "router:" + routers.get(i);
    }
    diagram.reply(
        "buy",
        back,
        PHONE,
        "%d Created, %s (%d ms)"
            .formatted(
                exchange.path("status").asInt(),
                text(buy.path("location")),
                exchange.path("totalMillis").asLong()));
  }

  /**
   * The addresses of the routers between the phone and the VIP, one lifeline each: the TTL probe's
   * hops before the VIP, else the kernel route's gateway (none in the flat local topology).
   */
  List<String> routers() {
    JsonNode path = journey.path("buy").path("path");
    List<String> routers = new ArrayList<>();
    for (JsonNode hop : path.path("hops")) {
      if (!hop.path("reached").asBoolean()) {
        routers.add(text(hop.path("address")));
      }
    }
    String gateway = text(path.path("route").path("gateway"));
    if (routers.isEmpty() && !gateway.isEmpty()) {
      routers.add(gateway);
    }
    return routers;
  }

  /** The router's name at that hop, as its own captures name it. */
  private Optional<String> routerName(String address) {
    for (JsonNode hop : journey.path("buy").path("path").path("hops")) {
      if (address.equals(text(hop.path("address"))) && !text(hop.path("router")).isEmpty()) {
        return Optional.of(text(hop.path("router")));
      }
    }
    return Optional.empty();
  }

  /** The capture of the purchase's SYN on both legs of the router at that hop, if it has one. */
  private Optional<JsonNode> crossing(String address) {
    String name = routerName(address).orElse(null);
    for (JsonNode c : journey.path("buy").path("path").path("crossings")) {
      if (text(c.path("router")).equals(name) && c.path("out").isObject()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private List<JsonNode> pictureExchanges() {
    JsonNode pictures = journey.path("pictures");
    List<JsonNode> all = new ArrayList<>();
    if (pictures.path("page").isObject()) {
      all.add(pictures.path("page"));
    }
    pictures.path("images").forEach(all::add);
    if (pictures.path("reload").isObject()) {
      all.add(pictures.path("reload"));
    }
    return all;
  }

  /** The hops behind the edge, origin first, as {@code X-Served-By} lists them. */
  private static List<String> origins(JsonNode exchange) {
    List<String> served = servedBy(exchange);
    return served.isEmpty() ? List.of() : served.subList(0, served.size() - 1);
  }

  private static String edgeName(JsonNode exchange) {
    List<String> served = servedBy(exchange);
    return served.isEmpty() ? "CDN edge" : served.get(served.size() - 1);
  }

  private static List<String> servedBy(JsonNode exchange) {
    String value = text(exchange.path("headers").path("X-Served-By"));
    return value.isEmpty()
        ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private JsonNode traceFor(JsonNode traces, JsonNode lookup) {
    String question = text(lookup.path("question"));
    for (JsonNode trace : traces) {
      if (text(trace.path("name")).equalsIgnoreCase(question)) {
        return trace;
      }
    }
    return null;
  }

  /** The lifeline of the server that answered for the CNAME's target: the GSLB. */
  private String cdnServerId() {
    JsonNode chain = journey.path("resolve").path("cnameChain");
    if (chain.size() < 2) {
      return null;
    }
    String target = text(chain.get(chain.size() - 1));
    for (JsonNode trace : journey.path("resolve").path("traces")) {
      for (JsonNode step : trace.path("steps")) {
        if (isServer(step) && text(step.path("question")).startsWith(target)) {
          return dnsId(step);
        }
      }
    }
    return null;
  }

  private static boolean isServer(JsonNode step) {
    String server = text(step.path("server"));
    return !server.isEmpty() && !server.equals("cache");
  }

  private static String dnsId(JsonNode step) {
    return "dns:" + text(step.path("server"));
  }

  private static String dnsTitle(String zone) {
    if (zone.equals(".")) {
      return "root DNS";
    }
    String name = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    return name.contains(".") ? name + " DNS" : "TLD DNS (" + name + ")";
  }

  private String phoneAddress() {
    String phone = text(journey.path("buy").path("phoneAddress"));
    if (!phone.isEmpty()) {
      return phone;
    }
    String from = text(journey.path("resolve").path("shop").path("from"));
    return from.contains(":") ? from.substring(0, from.lastIndexOf(':')) : from;
  }

  private String stepMillis(String name) {
    for (JsonNode step : journey.path("steps")) {
      if (text(step.path("name")).equals(name)) {
        return step.path("tookMillis").asLong()
            + " ms"
            + (step.path("ok").asBoolean() ? "" : ", FAILED");
      }
    }
    return "not run";
  }

  private String firstProblem(String name) {
    for (JsonNode step : journey.path("steps")) {
      if (text(step.path("name")).equals(name) && step.path("problems").size() > 0) {
        return text(step.path("problems").get(0).path("text"));
      }
    }
    return "no answer";
  }

  private static String header(JsonNode exchange, String name) {
    String value = text(exchange.path("headers").path(name));
    return value.isEmpty() ? "-" : value;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(text(v)));
    return out;
  }

  static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? "" : node.asText();
  }
}
