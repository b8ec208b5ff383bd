package io.shopstack.dns.resolver.iteration;

/**
 * Every case of {@link IterativeResolutionTest} on NIO, the transport a resolver falls back to
 * where native epoll cannot load: random ports and IDs, serve-stale timers, cache hits replayed.
 */
class IterativeResolutionOnNioTest extends IterativeResolutionTest {
  @Override
  String transport() {
    return "nio";
  }
}
