package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.http.SocketHttpClient;
import io.shopstack.client.journey.BuyStep;
import io.shopstack.client.journey.JourneyJson;
import io.shopstack.client.journey.JourneyPrinter;
import io.shopstack.client.journey.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One purchase through the SLB's virtual IP, with the seed order or fields of the user's. */
@Command(
    name = "order",
    mixinStandardHelpOptions = true,
    description = {
      "Place one order through the SLB's virtual IP.",
      "Resolve the shop through the configured local resolver and POST one order to the SLB's"
          + " virtual IP: the seed body of DESIGN.md byte for byte unless a field is given. An"
          + " Idempotency-Key is generated (or given) and printed: retried with it, the order is"
          + " placed once. Exit 0 on 201 Created, 5 on another status, 3 or 4 when DNS or TCP"
          + " failed."
    })
final class OrderCommand implements Callable<Integer> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ParentCommand private ClientCommand app;

  @Option(names = "--date", description = "order date (seed: 2018-07-01)")
  private String date;

  @Option(names = "--class-name", description = "the course (seed: 趣谈网络协议)")
  private String className;

  @Option(names = "--author", description = "its author (seed: 刘超)")
  private String author;

  @Option(names = "--price", description = "its price, sent as a string (seed: 68)")
  private String price;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "the Idempotency-Key to send (default: a new random UUID)")
  private String idempotencyKey;

  @Option(
      names = "--json",
      description =
          "print the facts as one JSON document (lookup, idempotencyKey, buy; README), the"
              + " narration to stderr")
  private boolean json;

  @Override
  public Integer call() {
    ClientConfig seed = app.config();
    ClientConfig config =
        new ClientConfig(
            seed.resolver(),
            seed.bindAddress(),
            seed.httpPort(),
            seed.shopHost(),
            seed.staticHost(),
            seed.sku(),
            body(seed.orderBody()),
            seed.timeouts());
    JourneyPrinter out = json ? new JourneyPrinter(app.err()) : app.printer();
    CommandJson result = new CommandJson();
    out.step(1, "Resolve " + config.shopHost(), "the address of the shop: the SLB's virtual IP");
    ShopAddress.Resolution vip = ShopAddress.lookup(config.shopHost(), config, out);
    result.document().set("lookup", JourneyJson.lookup(vip.lookup()));
    String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
    result.document().put("idempotencyKey", key);
    if (vip.address() == null) {
      result.error(vip.problem());
      result.document().set("buy", JourneyJson.buy(null, null, null));
      return result.finish(json, app.out(), Failure.DNS.exitCode());
    }
    SocketHttpClient http =
        new SocketHttpClient(
            config.bindInetAddress(), config.timeouts().connect(), config.timeouts().read());
    BuyStep.Outcome bought = new BuyStep(config, http, out, key).run(2, vip.address());
    result.document().set("buy", JourneyJson.buy(bought.exchange(), bought.order(), bought.path()));
    StepResult step = bought.result();
    step.problems().stream().findFirst().ifPresent(p -> result.error(p.text()));
    return result.finish(
        json,
        app.out(),
        step.problems().stream().findFirst().map(p -> p.failure().exitCode()).orElse(Failure.OK));
  }

  /**
   * The seed body untouched when no field is given (the public contract, byte for byte), else the
   * seed with the given fields replaced, keeping its field names (capital {@code Author}).
   */
  String body(String seedBody) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("date", date);
    fields.put("className", className);
    fields.put("Author", author);
    fields.put("price", price);
    fields.values().removeIf(v -> v == null);
    if (fields.isEmpty()) {
      return seedBody;
    }
    ObjectNode root = (ObjectNode) JSON.readTree(seedBody);
    ObjectNode order = (ObjectNode) root.get("order");
    fields.forEach(order::put);
    return JSON.writeValueAsString(root);
  }
}
