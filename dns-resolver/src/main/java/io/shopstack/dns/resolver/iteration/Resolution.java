package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.resolver.ecs.ClientSubnet;
import io.shopstack.dns.resolver.trace.TraceStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * The state of one client query while it is being resolved: whose location it carries, its
 * deadline, and the counters the limits are checked against. Name-server address lookups run as
 * child resolutions that share the deadline, the upstream count and the trace but carry no client
 * location.
 */
final class Resolution {
  final ClientSubnet client;
  final int dclass;
  final boolean cacheOnly;
  final long deadlineMillis;
  final int nameServerDepth;
  private final AtomicInteger upstreamQueries;
  private final Set<Name> serversBeingResolved;
  // Suppliers: a resolution the cache answers alone is never shown, so it builds no strings.
  private final List<Supplier<TraceStep>> trace;
  private int referrals;
  private int ecsScope;

  Resolution(ClientSubnet client, int dclass, boolean cacheOnly, long deadlineMillis) {
    this(
        client,
        dclass,
        cacheOnly,
        deadlineMillis,
        0,
        new AtomicInteger(),
        new HashSet<>(),
        Collections.synchronizedList(new ArrayList<>()));
  }

  private Resolution(
      ClientSubnet client,
      int dclass,
      boolean cacheOnly,
      long deadlineMillis,
      int nameServerDepth,
      AtomicInteger upstreamQueries,
      Set<Name> serversBeingResolved,
      List<Supplier<TraceStep>> trace) {
    this.client = client;
    this.dclass = dclass;
    this.cacheOnly = cacheOnly;
    this.deadlineMillis = deadlineMillis;
    this.nameServerDepth = nameServerDepth;
    this.upstreamQueries = upstreamQueries;
    this.serversBeingResolved = serversBeingResolved;
    this.trace = trace;
  }

  /**
   * A child resolution for the address of {@code server}, or null if that server is already being
   * resolved further up (a glueless loop: a.example served by ns.b.example served by ns.a.example).
   */
  Resolution forServerAddress(Name server) {
    synchronized (serversBeingResolved) {
      if (!serversBeingResolved.add(server)) {
        return null;
      }
    }
    return new Resolution(
        ClientSubnet.none(),
        dclass,
        false,
        deadlineMillis,
        nameServerDepth + 1,
        upstreamQueries,
        serversBeingResolved,
        trace);
  }

  /** Records a step; name-server lookups share their parent's trace, in the order they ran. */
  void note(Supplier<TraceStep> step) {
    trace.add(step);
  }

  List<TraceStep> trace() {
    synchronized (trace) {
      return trace.stream().map(Supplier::get).toList();
    }
  }

  int countReferral() {
    return ++referrals;
  }

  void upstreamQuerySent() {
    upstreamQueries.incrementAndGet();
  }

  int upstreamQueries() {
    return upstreamQueries.get();
  }

  /** The narrowest ECS scope of any part of the answer: what the whole answer is valid for. */
  void noteEcsScope(int scope) {
    ecsScope = Math.max(ecsScope, scope);
  }

  int ecsScope() {
    return ecsScope;
  }
}
