package io.shopstack.client.journey;

import io.shopstack.client.dns.AnswerRecord;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.GslbExplanation;
import io.shopstack.client.http.HttpExchange;
import io.shopstack.client.net.PacketPath;
import java.net.InetSocketAddress;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journey's facts as one JSON document for scripts and tests ({@code journey --json}). The
 * field names are a contract, documented in the README; a fact the journey did not get is null.
 * Only what was observed goes in: socket ends, DNS messages, response headers, the servers' own
 * explanations.
 */
public final class JourneyJson {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JourneyJson() {}

  public static String of(JourneyReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("success", report.success());
    root.put("exitCode", report.exitCode());
    root.set("resolve", resolve(report));
    root.set("pictures", pictures(report));
    root.set("buy", buy(report));
    ArrayNode steps = root.putArray("steps");
    for (StepResult step : report.steps()) {
      ObjectNode s = steps.addObject();
      s.put("name", step.name());
      s.put("ok", step.ok());
      s.put("summary", step.summary());
      s.put("tookMillis", step.took().toMillis());
      s.put("check", step.check());
      ArrayNode problems = s.putArray("problems");
      step.problems()
          .forEach(
              p -> problems.addObject().put("failure", p.failure().name()).put("text", p.text()));
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static ObjectNode resolve(JourneyReport report) {
    ObjectNode resolve = JSON.createObjectNode();
    resolve.set("shop", lookup(report.shopLookup()));
    resolve.set("static", lookup(report.staticLookup()));
    strings(resolve.putArray("cnameChain"), report.cnameChain());
    resolve.put("shopAddress", report.shopAddress());
    resolve.put("edgeAddress", report.edgeAddress());
    resolve.set("traces", JSON.valueToTree(report.traces()));
    GslbExplanation gslb = report.gslb();
    if (gslb == null) {
      resolve.putNull("gslb");
    } else {
      ObjectNode g = resolve.putObject("gslb");
      g.put("clientRegion", gslb.clientRegion());
      g.put("reason", gslb.reason());
      g.put("region", gslb.region());
      strings(g.putArray("chosen"), gslb.chosen());
      strings(g.putArray("explanation"), gslb.strings());
    }
    return resolve;
  }

  private static ObjectNode pictures(JourneyReport report) {
    ObjectNode pictures = JSON.createObjectNode();
    pictures.set("page", exchange(report.page()));
    ArrayNode images = pictures.putArray("images");
    report.images().forEach(i -> images.add(exchange(i)));
    pictures.set("reload", exchange(report.reload()));
    return pictures;
  }

  private static ObjectNode buy(JourneyReport report) {
    return buy(report.orderExchange(), report.order(), report.path());
  }

  /** The purchase's facts, the same fields in the journey and in {@code order --json}. */
  public static ObjectNode buy(HttpExchange exchange, OrderResult order, PacketPath path) {
    ObjectNode buy = JSON.createObjectNode();
    buy.set("exchange", exchange(exchange));
    buy.put("status", order == null ? null : order.status());
    buy.put("orderId", order == null ? null : order.orderId());
    buy.put("location", order == null ? null : order.location());
    buy.put("servedBy", order == null ? null : order.servedBy());
    // The phone's own end of the connection, and what the order service wrote down for it.
    buy.put("phoneAddress", exchange == null ? null : address(exchange.local()));
    buy.put(
        "clientAddress", order == null ? null : BuyStep.recordedClient(order.body()).orElse(null));
    buy.set("path", PathJson.of(path));
    return buy;
  }

  /** One DNS lookup's facts (the fields of {@code resolve.shop}), or null. */
  public static ObjectNode lookup(DnsLookup lookup) {
    if (lookup == null) {
      return null;
    }
    ObjectNode l = JSON.createObjectNode();
    l.put("question", lookup.question());
    l.put("type", lookup.type());
    l.put("rcode", lookup.rcode());
    l.put("flags", lookup.flags());
    l.put("server", endpoint(lookup.server()));
    l.put("from", endpoint(lookup.source()));
    l.put("transport", lookup.transport());
    l.put("tookMillis", lookup.took().toMillis());
    ArrayNode answers = l.putArray("answers");
    for (AnswerRecord r : lookup.answers()) {
      answers
          .addObject()
          .put("name", r.name())
          .put("ttl", r.ttl())
          .put("type", r.type())
          .put("data", r.data());
    }
    return l;
  }

  /** One HTTP exchange's facts (the fields of {@code pictures.page}), or null. */
  public static ObjectNode exchange(HttpExchange exchange) {
    if (exchange == null) {
      return null;
    }
    ObjectNode e = JSON.createObjectNode();
    e.put("method", exchange.request().method());
    e.put("host", exchange.request().host());
    e.put("target", exchange.request().target());
    e.put("requestId", exchange.request().requestId());
    e.put("local", endpoint(exchange.local()));
    e.put("remote", endpoint(exchange.remote()));
    e.put("status", exchange.status());
    e.put("connectMillis", exchange.connect().toMillis());
    e.put("firstByteMillis", exchange.firstByte().toMillis());
    e.put("totalMillis", exchange.total().toMillis());
    e.put("bodyBytes", exchange.response().body().length);
    ObjectNode headers = e.putObject("headers");
    for (String name : JourneyPrinter.HOP_HEADERS) {
      headers.put(name, exchange.header(name));
    }
    return e;
  }

  /** A node for a document of a single command ({@code resolve --json}...). */
  public static ObjectNode document() {
    return JSON.createObjectNode();
  }

  /** Any value as JSON (a trace as the resolver gave it...). */
  public static tools.jackson.databind.JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  public static String pretty(ObjectNode document) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String endpoint(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static String address(InetSocketAddress address) {
    return address.getAddress().getHostAddress();
  }
}
