package io.shopstack.client;

import io.shopstack.client.journey.Journey;
import io.shopstack.client.journey.JourneyReport;
import io.shopstack.common.config.ConfigLoader;

/** Runs the journey once from {@code client-app.yml}; the exit code says whether it all worked. */
public final class ClientMain {
  private ClientMain() {}

  public static void main(String[] args) {
    ClientConfig config = ConfigLoader.load(ClientConfig.class, "client-app.yml", args);
    JourneyReport report = new Journey(config, System.out).run();
    System.exit(report.success() ? 0 : 1);
  }
}
