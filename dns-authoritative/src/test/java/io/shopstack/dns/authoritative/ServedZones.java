package io.shopstack.dns.authoritative;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One authoritative server on 127.0.0.1 (ports picked by the system) shared by the tests of a
 * class: started before the first test, closed after the last. A test class declares it as
 * {@code @RegisterExtension static final ServedZones server = new
 * ServedZones("origin=location,...")}.
 */
final class ServedZones implements BeforeAllCallback, AfterAllCallback {
  private final AuthoritativeConfig config;
  private AuthoritativeServer server;

  /** The zones ({@code origin=location}, comma separated) with every other setting a test's. */
  ServedZones(String zones) {
    this(
        TestDns.config(
            zones, AuthoritativeConfig.RateLimit.OFF, AuthoritativeConfig.Transfer.DEFAULT, 0));
  }

  ServedZones(AuthoritativeConfig config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws InterruptedException {
    server = new AuthoritativeServer(config).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  int dnsPort() {
    return server.dnsPort();
  }

  int adminPort() {
    return server.adminPort();
  }
}
