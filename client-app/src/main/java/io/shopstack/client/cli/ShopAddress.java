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
  /**
   * How a name was resolved.
   *
   * @param address the first address, or null when the name did not resolve
   * @param lookup the resolver's answer, or null (an IP literal, or no answer at all)
   * @param problem why there is no address, or null
   */
  record Resolution(String address, DnsLookup lookup, String problem) {}

  private ShopAddress() {}

  static Optional<String> resolve(String host, ClientConfig config, JourneyPrinter out) {
    return Optional.ofNullable(lookup(host, config, out).address());
  }

  static Resolution lookup(String host, ClientConfig config, JourneyPrinter out) {
    if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":")) {
      return new Resolution(host, null, null);
    }
    StubResolver resolver =
        new StubResolver(
            config.resolver().socketAddress(), config.bindInetAddress(), config.timeouts().dns());
    String check =
        "dig @%s -p %d %s".formatted(config.resolver().address(), config.resolver().port(), host);
    DnsLookup lookup;
    try {
      lookup = resolver.lookup(host, Type.A);
    } catch (IOException e) {
      out.problem(e.getMessage());
      out.check(check);
      return new Resolution(null, null, e.getMessage());
    }
    out.dig(lookup);
    if (!lookup.rcode().equals("NOERROR") || lookup.addresses().isEmpty()) {
      String problem = lookup.rcode() + ", no A record for " + host;
      out.problem(problem);
      out.check(check);
      return new Resolution(null, lookup, problem);
    }
    return new Resolution(lookup.addresses().get(0), lookup, null);
  }
}
