package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.Failure;
import io.shopstack.client.http.SocketHttpClient;
import io.shopstack.client.journey.JourneyPrinter;
import io.shopstack.client.load.LoadPlan;
import io.shopstack.client.load.LoadProgress;
import io.shopstack.client.load.LoadRun;
import io.shopstack.client.load.LoadSummary;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Many purchases at once through our DNS and the VIP, bounded in count and time. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "A bounded load of real orders through the SLB's virtual IP.",
      "Resolve the shop through the configured local resolver once, then POST N orders to the"
          + " VIP with C in flight at once, one TCP connection and one Idempotency-Key each,"
          + " until N are placed or the duration cap passes. Prints progress, then the latency"
          + " (HdrHistogram p50/p90/p99/max), orders/s, statuses and errors by class. Exit 0 when"
          + " every order placed got 201, else the layer of the first failure (4 TCP, 5 HTTP);"
          + " 3 when the shop's name does not resolve."
    })
final class LoadCommand implements Callable<Integer> {
  @ParentCommand private ClientCommand app;
  @Spec private CommandSpec spec;

  @Option(
      names = "--orders",
      paramLabel = "N",
      defaultValue = "100",
      description = "orders to place (default: ${DEFAULT-VALUE}, at most 1000000)")
  private int orders;

  @Option(
      names = "--concurrency",
      paramLabel = "C",
      defaultValue = "4",
      description = "orders in flight at once (default: ${DEFAULT-VALUE}, at most 256)")
  private int concurrency;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "no order starts after this many seconds; those in flight finish"
              + " (default: ${DEFAULT-VALUE}, at most 3600)")
  private long seconds;

  @Override
  public Integer call() throws InterruptedException {
    try {
      LoadPlan.check(orders, concurrency, Duration.ofSeconds(seconds));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    ClientConfig config = app.config();
    JourneyPrinter out = app.printer();
    Optional<String> vip = ShopAddress.resolve(config.shopHost(), config, out);
    if (vip.isEmpty()) {
      return Failure.DNS.exitCode();
    }
    LoadPlan plan =
        new LoadPlan(
            orders,
            concurrency,
            Duration.ofSeconds(seconds),
            new InetSocketAddress(
                ClientConfig.ipLiteral(vip.get(), "shop address"), config.httpPort()));
    SocketHttpClient http =
        new SocketHttpClient(
            config.bindInetAddress(), config.timeouts().connect(), config.timeouts().read());
    LoadRun run =
        new LoadRun(plan, http, config.shopHost(), LoadRun.ORDER_CONTENT_TYPE, config.orderBody());
    app.out()
        .printf(
            "%nload: %d orders, %d at a time, at most %d s: POST http://%s:%d/purchaseOrder to %s"
                + " from %s, keys load-%s-N%n",
            plan.orders(),
            plan.concurrency(),
            plan.cap().toSeconds(),
            config.shopHost(),
            config.httpPort(),
            vip.get(),
            config.bindInetAddress().isAnyLocalAddress()
                ? "the address the kernel picks"
                : config.bindAddress(),
            run.runId());
    LoadRun.Outcome outcome =
        run.run(LoadProgress.of(app.out(), plan.orders(), app.terminal().interactive()));
    LoadSummary.print(outcome, plan, app.out());
    return outcome.tally().exitCode();
  }
}
