package io.shopstack.topology;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.journey.Journey;
import io.shopstack.client.journey.JourneyReport;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.server.LeakDetection;
import io.shopstack.dns.server.DnsStartWarmup;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The no-Docker mode: starts the whole stack in this JVM, runs the phone app's journey against it
 * and exits with the journey's exit code. With {@code --keep-running} the stack stays up afterwards
 * for dig and curl, until Ctrl-C.
 */
public final class LocalTopologyMain {
  private LocalTopologyMain() {}

  public static void main(String[] args) throws Exception {
    DnsStartWarmup.begin();
    boolean keepRunning = Arrays.asList(args).contains("--keep-running");
    Path dataDir = Path.of(System.getenv().getOrDefault("SHOP_DATA_DIR", "data/local"));
    ClientConfig client = ConfigLoader.load(ClientConfig.class, "client-app.yml", new String[0]);
    LeakDetection.offUnlessAsked(System.getProperties());
    LocalTopology topology = new LocalTopology(dataDir, System.getenv()).start();
    JourneyReport report;
    try {
      report = new Journey(client, System.out).run();
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
    if (keepRunning) {
      System.out.println(
          (report.success()
                  ? "journey OK"
                  : "journey FAILED (exit code would be " + report.exitCode() + ")")
              + "; stack is up: dig @%s -p %d static.shop.example; Ctrl-C stops it"
                  .formatted(client.resolver().address(), client.resolver().port()));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    topology.close();
                    stopped.countDown();
                  }));
      stopped.await();
      return;
    }
    topology.close();
    System.exit(report.exitCode());
  }
}
