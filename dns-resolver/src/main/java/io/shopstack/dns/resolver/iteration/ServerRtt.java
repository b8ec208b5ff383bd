package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.resolver.cache.BoundedTtlMap;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Smoothed round-trip time per authoritative server (unbound's infrastructure cache, BIND's SRTT):
 * a zone's servers are asked fastest first, so a dead or slow server costs a timeout once, not on
 * every query. Servers not measured yet count as fastest, so each gets tried and measured.
 */
final class ServerRtt {
  /** unbound's infra-host-ttl: a server's record is forgotten after 15 minutes, then re-learnt. */
  private static final long FORGET_AFTER_SECONDS = 900;

  /** unbound's cap on a backed-off timeout estimate. */
  private static final long MAX_MILLIS = 120_000;

  private final BoundedTtlMap<InetAddress, Long> smoothedMillis;

  ServerRtt(int maxServers, InstantSource clock) {
    this.smoothedMillis = new BoundedTtlMap<>(maxServers, clock);
  }

  /** A response came after {@code rttMillis}: blend it in (7/10 old, 3/10 new, as BIND). */
  void answered(InetAddress server, long rttMillis) {
    long old = estimate(server);
    long blended = old < 0 ? rttMillis : (7 * old + 3 * rttMillis) / 10;
    smoothedMillis.put(server, blended, FORGET_AFTER_SECONDS);
  }

  /** No usable response: the server goes behind the others, further each time (backoff). */
  void failed(InetAddress server, long timeoutMillis) {
    long old = estimate(server);
    long penalty = Math.min(MAX_MILLIS, Math.max(timeoutMillis, old < 0 ? 0 : 2 * old));
    smoothedMillis.put(server, penalty, FORGET_AFTER_SECONDS);
  }

  /** The smoothed RTT in milliseconds, or -1 if the server has not been measured. */
  long estimate(InetAddress server) {
    return smoothedMillis.get(server).map(BoundedTtlMap.Aged::value).orElse(-1L);
  }

  /** {@code servers}, fastest first; unmeasured ones keep their order ahead of measured ones. */
  List<InetAddress> fastestFirst(List<InetAddress> servers) {
    List<InetAddress> ordered = new ArrayList<>(servers);
    ordered.sort(Comparator.comparingLong(this::estimate));
    return ordered;
  }
}
