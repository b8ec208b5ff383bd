package io.shopstack.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * What the phone app needs to know before it starts: where its local DNS resolver is, which address
 * it sends from, which names and product to ask for and the order it places. Loaded from {@code
 * client-app.yml}.
 *
 * @param resolver the local DNS resolver (recursive, RD=1 queries go there)
 * @param bindAddress source address of every DNS query and TCP connection; 0.0.0.0 lets the OS
 *     choose (Docker, where the container IP is the client's address)
 * @param httpPort port of the CDN edges and of the SLB VIP
 * @param shopHost name of the shop (A record of the SLB VIP)
 * @param staticHost name of the static content (CNAME into the CDN)
 * @param sku product whose page and pictures are fetched
 * @param orderBody JSON body of {@code POST /purchaseOrder}, sent as UTF-8
 * @param timeouts bounds on every network wait
 */
public record ClientConfig(
    Resolver resolver,
    String bindAddress,
    int httpPort,
    String shopHost,
    String staticHost,
    String sku,
    String orderBody,
    Timeouts timeouts) {

  public ClientConfig {
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(shopHost, "shopHost");
    Objects.requireNonNull(staticHost, "staticHost");
    Objects.requireNonNull(sku, "sku");
    Objects.requireNonNull(orderBody, "orderBody");
    Objects.requireNonNull(timeouts, "timeouts");
    if (httpPort < 1 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort out of range: " + httpPort);
    }
    ipLiteral(bindAddress, "bindAddress");
  }

  /** The client's source address (a wildcard means: let the OS choose). */
  public InetAddress bindInetAddress() {
    return ipLiteral(bindAddress, "bindAddress");
  }

  /**
   * Parses an IP literal without ever consulting the JVM's resolver: the app must not resolve
   * anything except through the configured local DNS.
   */
  public static InetAddress ipLiteral(String text, String what) {
    boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!ipv4 && !text.contains(":")) {
      throw new IllegalArgumentException(what + " must be an IP address, not " + text);
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + " is not a valid IP address: " + text, e);
    }
  }

  /**
   * The local DNS resolver's address, and its admin port, where it tells how it resolved a name
   * ({@code GET /trace}).
   */
  public record Resolver(String address, int port, int adminPort) {
    public Resolver {
      Objects.requireNonNull(address, "resolver.address");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("resolver.port out of range: " + port);
      }
      if (adminPort < 1 || adminPort > 65535) {
        throw new IllegalArgumentException("resolver.adminPort out of range: " + adminPort);
      }
      ipLiteral(address, "resolver.address");
    }

    public InetSocketAddress socketAddress() {
      return new InetSocketAddress(ipLiteral(address, "resolver.address"), port);
    }

    public InetSocketAddress adminAddress() {
      return new InetSocketAddress(ipLiteral(address, "resolver.address"), adminPort);
    }
  }

  /** Every wait is bounded so the app reports a failure instead of hanging. */
  public record Timeouts(int dnsMillis, int connectMillis, int readMillis) {
    public Timeouts {
      if (dnsMillis <= 0 || connectMillis <= 0 || readMillis <= 0) {
        throw new IllegalArgumentException(
            "timeouts must be positive: dns=%d connect=%d read=%d"
                .formatted(dnsMillis, connectMillis, readMillis));
      }
    }

    public Duration dns() {
      return Duration.ofMillis(dnsMillis);
    }

    public Duration connect() {
      return Duration.ofMillis(connectMillis);
    }

    public Duration read() {
      return Duration.ofMillis(readMillis);
    }
  }
}
