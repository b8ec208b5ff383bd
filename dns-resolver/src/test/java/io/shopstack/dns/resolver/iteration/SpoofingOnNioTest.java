package io.shopstack.dns.resolver.iteration;

import java.util.Map;

/** {@link SpoofingTest} on NIO, the transport a resolver falls back to without native epoll. */
class SpoofingOnNioTest extends SpoofingTest {
  @Override
  Map<String, String> environment() {
    return Map.of("SHOP_DNS_TRANSPORT", "nio");
  }
}
