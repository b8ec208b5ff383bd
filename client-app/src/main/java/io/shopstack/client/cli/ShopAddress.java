package io.shopstack.client.cli;

import io.shopstack.client.ClientConfig;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.StubResolver;
import io.shopstack.client.journey.JourneyPrinter;
import java.io.IOException;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * A host name turned into an address through the configured local resolver only (never the JVM's),
 * printed as dig shows it; IP literals need no lookup. Empty, with the reason printed, when the
 * name does not resolve.
 */
final class ShopAddress {
  private ShopAddress() {}

  static Optional<String> resolve(String host, ClientConfig config, JourneyPrinter out) {
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":")) {
      return Optional.of(host);
    }
    StubResolver resolver =
        new StubResolver(
            config.resolver().socketAddress(), config.bindInetAddress(), config.timeouts().dns());
    String check =
        "check: dig @%s -p %d %s"
            .formatted(config.resolver().address(), config.resolver().port(), host);
    DnsLookup lookup;
    try {
      lookup = resolver.lookup(host, Type.A);
    } catch (IOException e) {
      out.problem(e.getMessage());
      out.note(check);
      return Optional.empty();
    }
    out.dig(lookup);
    if (!lookup.rcode().equals("NOERROR") || lookup.addresses().isEmpty()) {
      out.problem(lookup.rcode() + ", no A record for " + host);
      out.note(check);
      return Optional.empty();
    }
    return Optional.of(lookup.addresses().get(0));
  }
}
