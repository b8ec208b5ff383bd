package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.resolver.cache.CacheKey;
import io.shopstack.dns.resolver.cache.CachedAnswer;
import io.shopstack.dns.resolver.cache.RecordCache;
import io.shopstack.dns.resolver.delegation.Delegation;
import io.shopstack.dns.resolver.delegation.DelegationCache;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import io.shopstack.dns.resolver.ecs.EcsAuthorities;
import io.shopstack.dns.resolver.trace.ResolutionTrace;
import io.shopstack.dns.resolver.trace.TraceLog;
import io.shopstack.dns.resolver.trace.TraceStep;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Resolves a question the way unbound does: from the cache where it can; otherwise from the closest
 * known zone cut (the root hints at first) down through referrals to a server that is
 * authoritative; then along CNAMEs, which may lead into another zone and start the descent again.
 * Everything learnt on the way, records, negative answers and zone cuts, goes into the caches.
 *
 * <p>Fully asynchronous: each step is a continuation of the previous upstream response, so no
 * thread ever waits on the network.
 */
public final class IterativeResolver {
  /**
   * RFC 9156 MAX_MINIMISE_COUNT: a name with more labels below the zone than this is asked in full
   * from there on, so a long name cannot make us send one query per label.
   */
  private static final int MAX_MINIMISED_LABELS = 10;

  /** Authoritative servers whose RTT is remembered (unbound's infra-cache-numhosts). */
  private static final int MAX_SERVERS_MEASURED = 10_000;

  /** Rounds over a zone's servers before giving up on it (timeouts double each round). */
  private static final int MAX_ROUNDS = 3;

  private static final Logger log = LoggerFactory.getLogger(IterativeResolver.class);

  private final RecordCache records;
  private final DelegationCache delegations;
  private final UpstreamClient upstream;
  private final IterationLimits limits;
  private final EcsAuthorities ecsAuthorities;
  private final Hardening hardening;
  private final InstantSource clock;

  private record Prefetch(
      Name name, int type, int dclass, AddressBlock subnet, boolean unlocated) {}

  private final Set<Prefetch> prefetching = ConcurrentHashMap.newKeySet();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder staleAnswers = new LongAdder();
  private final LongAdder upstreamQueries = new LongAdder();
  private final ServerRtt serverRtt;
  private final TraceLog traces;

  public IterativeResolver(
      RecordCache records,
      DelegationCache delegations,
      UpstreamClient upstream,
      IterationLimits limits,
      EcsAuthorities ecsAuthorities,
      Hardening hardening,
      InstantSource clock) {
    this.records = records;
    this.delegations = delegations;
    this.upstream = upstream;
    this.limits = limits;
    this.ecsAuthorities = ecsAuthorities;
    this.hardening = hardening;
    this.clock = clock;
    this.serverRtt = new ServerRtt(MAX_SERVERS_MEASURED, clock);
    this.traces = new TraceLog(clock);
  }

  /**
   * Resolves (name, type, class) for {@code client}. With {@code cacheOnly} (an RD=0 query) nothing
   * is sent upstream; a miss returns a referral to the closest zone cut known. Never completes
   * exceptionally: failures are SERVFAIL outcomes.
   */
  public CompletableFuture<Resolved> resolve(
      Name name, int type, int dclass, ClientSubnet client, boolean cacheOnly) {
    return resolve(name, type, dclass, client, cacheOnly, false);
  }

  /**
   * As {@link #resolve}, for a question whose {@link #cachedAnswer} has just missed on this thread:
   * the same lookup is not made twice.
   */
  public CompletableFuture<Resolved> resolveMissed(
      Name name, int type, int dclass, ClientSubnet client, boolean cacheOnly) {
    return resolve(name, type, dclass, client, cacheOnly, true);
  }

  private CompletableFuture<Resolved> resolve(
      Name name, int type, int dclass, ClientSubnet client, boolean cacheOnly, boolean missed) {
    Resolution resolution =
        new Resolution(client, dclass, cacheOnly, clock.millis() + limits.totalTimeoutMs());
    List<RRset> chain = new ArrayList<>();
    CompletableFuture<Resolved> full =
        (missed
                ? chaseUncached(name, type, chain, 0, resolution)
                : chase(name, type, chain, 0, resolution))
            .exceptionally(
                error -> {
                  log.warn("resolving {} {} failed: {}", name, Type.string(type), error.toString());
                  return Resolved.servFail(error.toString(), resolution.upstreamQueries());
                })
            .whenComplete((resolved, error) -> recordTrace(name, type, resolved, resolution));
    long staleAfter = records.staleAnswerAfterMillis();
    if (full.isDone() || cacheOnly || staleAfter == 0) {
      return full;
    }
    Optional<CachedAnswer> stale = records.lookupStale(name, type, dclass, client);
    if (stale.isEmpty()) {
      return full;
    }
    // RFC 8767 5: the client gets the expired answer if resolving takes longer than the client
    // response timer; the resolution goes on and refreshes the cache for the next one.
    CompletableFuture<Resolved> answer = new CompletableFuture<>();
    // Whichever comes first answers. The stale answer is counted before it completes the future:
    // completing it sends the response to the client at once, and a client that then reads
    // /metrics must see the count (counting after complete() let it read 0 in CI).
    AtomicBoolean answered = new AtomicBoolean();
    Future<?> timer =
        LoopTimers.schedule(
            () -> {
              if (answered.compareAndSet(false, true)) {
                staleAnswers.increment();
                answer.complete(staleResolved(stale.get(), resolution));
              }
            },
            staleAfter);
    full.whenComplete(
        (resolved, error) -> {
          timer.cancel(false);
          if (answered.compareAndSet(false, true)) {
            answer.complete(resolved);
          }
        });
    return answer;
  }

  private static Resolved staleResolved(CachedAnswer stale, Resolution r) {
    List<RRset> answer = stale.isNegative() ? List.of() : List.of(stale.records());
    return new Resolved(
        stale.rcode(),
        answer,
        soaAuthority(stale),
        stale.ecsScope(),
        Math.max(1, r.upstreamQueries()),
        null);
  }

  /**
   * The cached answer to exactly (name, type, class) for {@code client}, records or a negative
   * answer, when the cache holds one: what {@link #resolve} would answer without a chain to follow,
   * for the serving side's prepared answers. Starts a prefetch when one is due, as {@link #resolve}
   * does. Empty when resolving would take more (a CNAME or DNAME to follow, a miss).
   */
  public Optional<CachedAnswer> cachedAnswer(
      Name name, int type, int dclass, ClientSubnet client, boolean cacheOnly) {
    Optional<CachedAnswer> cached = records.lookup(name, type, dclass, client);
    if (cached.isPresent() && cached.get().prefetchDue() && !cacheOnly) {
      prefetch(name, type, dclass, client);
    }
    return cached;
  }

  /**
   * Everyone's cached answer to a question read off the wire, for replaying an encoding kept with
   * it; null when there is none or when it is due for prefetch (then {@link #cachedAnswer} starts
   * the refresh).
   */
  public RecordCache.Replayable cachedForReplay(CacheKey question) {
    return records.lookupForReplay(question);
  }

  /** Only a resolution that asked an authoritative server: a cache hit must not hide one. */
  private void recordTrace(Name name, int type, Resolved resolved, Resolution r) {
    if (resolved != null && r.upstreamQueries() > 0) {
      long finishedAt = clock.millis();
      traces.record(
          name,
          type,
          () ->
              new ResolutionTrace(
                  name.toString(),
                  Type.string(type),
                  Rcode.string(resolved.rcode()),
                  finishedAt,
                  r.trace()));
    }
  }

  /** The last iteration for each name, for the admin endpoint's {@code /trace}. */
  public TraceLog traces() {
    return traces;
  }

  private CompletableFuture<Resolved> chase(
      Name name, int type, List<RRset> chain, int cnames, Resolution r) {
    if (cnames > limits.maxCnameChain()) {
      return done(
          Resolved.servFail(
              "CNAME chain longer than " + limits.maxCnameChain(), r.upstreamQueries()));
    }
    Optional<CachedAnswer> cached = records.lookup(name, type, r.dclass, r.client);
    if (cached.isPresent()) {
      CachedAnswer hit = cached.get();
      if (hit.prefetchDue() && !r.cacheOnly) {
        prefetch(name, type, r);
      }
      r.noteEcsScope(hit.ecsScope());
      if (hit.isNegative()) {
        r.note(
            () ->
                TraceStep.cacheHit(question(name, type), Rcode.string(hit.rcode()) + " (cached)"));
        return finish(hit.rcode(), chain, soaAuthority(hit), r);
      }
      r.note(() -> TraceStep.cacheHit(question(name, type), "answer (cached)"));
      chain.add(hit.records());
      return finish(Rcode.NOERROR, chain, hit.authority(), r);
    }
    return chaseUncached(name, type, chain, cnames, r);
  }

  /** {@link #chase} once (name, type) itself is known not to be cached. */
  private CompletableFuture<Resolved> chaseUncached(
      Name name, int type, List<RRset> chain, int cnames, Resolution r) {
    if (type != Type.CNAME) {
      Optional<CachedAnswer> alias = records.lookup(name, Type.CNAME, r.dclass, r.client);
      if (alias.isPresent() && !alias.get().isNegative()) {
        if (alias.get().prefetchDue() && !r.cacheOnly) {
          prefetch(name, Type.CNAME, r);
        }
        r.noteEcsScope(alias.get().ecsScope());
        chain.add(alias.get().records());
        Name target = ((CNAMERecord) alias.get().records().first()).getTarget();
        r.note(() -> TraceStep.cacheHit(question(name, type), "CNAME to " + target + " (cached)"));
        return chase(target, type, chain, cnames + 1, r);
      }
    }
    if (hardening.nxdomainCut()) {
      Optional<CachedAnswer> gone = records.lookupNxdomain(name, r.dclass, r.client);
      if (gone.isPresent()) {
        r.noteEcsScope(gone.get().ecsScope());
        r.note(
            () ->
                TraceStep.cacheHit(
                    question(name, type), "NXDOMAIN at or above (cached, RFC 8020)"));
        return finish(Rcode.NXDOMAIN, chain, soaAuthority(gone.get()), r);
      }
    }
    Optional<CachedAnswer> renamed = cachedDnameAbove(name, r);
    if (renamed.isPresent()) {
      RRset dname = renamed.get().records();
      RRset synthesized = DnameSubstitution.synthesize(dname, name);
      if (synthesized == null) {
        chain.add(dname); // RFC 6672 2.2: too long to rewrite, YXDOMAIN with the DNAME
        return finish(Rcode.YXDOMAIN, chain, List.of(), r);
      }
      if (renamed.get().prefetchDue() && !r.cacheOnly) {
        prefetch(dname.getName(), Type.DNAME, r);
      }
      r.noteEcsScope(renamed.get().ecsScope());
      chain.add(dname);
      chain.add(synthesized);
      Name target = ((CNAMERecord) synthesized.first()).getTarget();
      r.note(
          () ->
              TraceStep.cacheHit(question(name, type), "DNAME, CNAME to " + target + " (cached)"));
      return type == Type.CNAME
          ? finish(Rcode.NOERROR, chain, List.of(), r)
          : chase(target, type, chain, cnames + 1, r);
    }
    Delegation closest = delegations.closestEnclosing(name);
    if (r.cacheOnly) {
      List<RRset> referral =
          closest.nameServers() == null ? List.of() : List.of(closest.nameServers());
      return finish(Rcode.NOERROR, chain, referral, r);
    }
    return descend(closest, name, type, r)
        .thenCompose(step -> follow(step, name, type, chain, cnames, r));
  }

  /**
   * A cached DNAME on the closest ancestor that has one: it renames {@code name} without asking
   * anyone (RFC 6672 3.4). Looked for only after the name itself missed, nearest ancestor first.
   */
  private Optional<CachedAnswer> cachedDnameAbove(Name name, Resolution r) {
    if (!records.mayHoldDnames()) {
      return Optional.empty();
    }
    for (int strip = 1; strip < name.labels(); strip++) {
      Optional<CachedAnswer> hit =
          records.lookup(new Name(name, strip), Type.DNAME, r.dclass, r.client);
      if (hit.isPresent() && !hit.get().isNegative()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  /** Applies what the authoritative servers said, caching it, and goes on along any CNAME. */
  private CompletableFuture<Resolved> follow(
      Step step, Name name, int type, List<RRset> chain, int cnames, Resolution r) {
    if (step instanceof Step.Answer answer) {
      cacheAll(answer.rrsets(), answer.ecsScope(), r);
      if (!answer.proof().isEmpty()) {
        // The wildcard expansion again, now with the proof a validating client needs.
        RRset expanded = answer.rrsets().get(answer.rrsets().size() - 1);
        records.putRecords(expanded, answer.proof(), r.client, answer.ecsScope());
      }
      chain.addAll(answer.rrsets());
      return finish(Rcode.NOERROR, chain, answer.proof(), r);
    }
    if (step instanceof Step.Alias alias) {
      cacheAll(alias.chain(), alias.ecsScope(), r);
      chain.addAll(alias.chain());
      return chase(
          alias.target(), type, chain, cnames + DnameSubstitution.aliases(alias.chain()), r);
    }
    if (step instanceof Step.Negative negative && negative.rcode() == Rcode.YXDOMAIN) {
      // Not kept as a negative answer: the cached DNAME makes the same YXDOMAIN, DNAME included.
      cacheAll(negative.chain(), negative.ecsScope(), r);
      chain.addAll(negative.chain());
      return finish(Rcode.YXDOMAIN, chain, List.of(), r);
    }
    if (step instanceof Step.Negative negative) {
      cacheAll(negative.chain(), negative.ecsScope(), r);
      records.putNegative(
          negative.name(),
          type,
          r.dclass,
          negative.rcode(),
          negative.soa(),
          negative.proof(),
          r.client,
          negative.ecsScope());
      chain.addAll(negative.chain());
      List<RRset> authority =
          !negative.proof().isEmpty()
              ? negative.proof()
              : negative.soa() == null ? List.of() : List.of(new RRset(negative.soa()));
      return finish(negative.rcode(), chain, authority, r);
    }
    String why = step instanceof Step.Failure failure ? failure.reason() : step.toString();
    log.debug("cannot resolve {} {}: {}", name, Type.string(type), why);
    Optional<CachedAnswer> stale = records.lookupStale(name, type, r.dclass, r.client);
    if (stale.isPresent()) {
      // RFC 8767: the authorities are out of reach; an expired answer beats no answer.
      staleAnswers.increment();
      r.note(() -> TraceStep.cacheHit(question(name, type), "stale answer (RFC 8767): " + why));
      r.noteEcsScope(stale.get().ecsScope());
      if (stale.get().isNegative()) {
        return finish(stale.get().rcode(), chain, soaAuthority(stale.get()), r);
      }
      chain.add(stale.get().records());
      return finish(Rcode.NOERROR, chain, List.of(), r);
    }
    return done(Resolved.servFail(why, r.upstreamQueries()));
  }

  /**
   * Refreshes a popular entry in the last tenth of its TTL while the cache still answers for it
   * (unbound's prefetch), so clients never wait for it to be fetched again. One refresh per entry
   * at a time; it has its own deadline and does not hold up the client that triggered it.
   */
  private void prefetch(Name name, int type, Resolution trigger) {
    prefetch(name, type, trigger.dclass, trigger.client);
  }

  private void prefetch(Name name, int type, int dclass, ClientSubnet client) {
    Prefetch key = new Prefetch(name, type, dclass, client.source(), client.optedOut());
    if (!prefetching.add(key)) {
      return;
    }
    prefetches.increment();
    Resolution refresh =
        new Resolution(client, dclass, false, clock.millis() + limits.totalTimeoutMs());
    descend(delegations.closestEnclosing(name), name, type, refresh)
        .thenCompose(step -> follow(step, name, type, new ArrayList<>(), 0, refresh))
        .whenComplete((resolved, error) -> prefetching.remove(key));
  }

  /** Queries sent to authoritative servers so far, prefetches included. */
  public long upstreamQueries() {
    return upstreamQueries.sum();
  }

  /** Entries refreshed ahead of expiry so far. */
  public long prefetches() {
    return prefetches.sum();
  }

  /** Answers served stale because no authority answered (RFC 8767). */
  public long staleAnswers() {
    return staleAnswers.sum();
  }

  /** Asks the servers of {@code zone} and follows referrals down until an answer or a failure. */
  private CompletableFuture<Step> descend(Delegation zone, Name name, int type, Resolution r) {
    return askMinimised(zone, name, type, r, zone.zone().labels() + 1)
        .thenCompose(
            step -> {
              if (!(step instanceof Step.Referral referral)) {
                return CompletableFuture.completedFuture(step);
              }
              if (r.countReferral() > limits.maxReferrals()) {
                return failed("more than " + limits.maxReferrals() + " referrals");
              }
              delegations.put(referral.delegation());
              return descend(referral.delegation(), name, type, r);
            });
  }

  /**
   * QNAME minimisation (RFC 9156): asks the zone's servers for the first {@code labels} labels of
   * the name only (type A, as unbound does), one more label each time the server shows no zone cut
   * there, until a referral or the full name. Like unbound's relaxed mode, an NXDOMAIN or a failure
   * for a shortened name is checked by asking the full name, since some servers answer empty
   * non-terminals wrongly.
   */
  private CompletableFuture<Step> askMinimised(
      Delegation zone, Name name, int type, Resolution r, int labels) {
    if (!hardening.qnameMinimisation()
        || labels >= name.labels()
        || labels - zone.zone().labels() > MAX_MINIMISED_LABELS) {
      return askZone(zone, name, type, r);
    }
    Name shortened = new Name(name, name.labels() - labels);
    return askZone(zone, shortened, Type.A, r)
        .thenCompose(
            step -> {
              if (step instanceof Step.Referral) {
                return CompletableFuture.completedFuture(step);
              }
              if (step instanceof Step.Failure failure && !failure.retryable()) {
                return CompletableFuture.completedFuture(step);
              }
              if (step instanceof Step.Failure
                  || step instanceof Step.Negative negative
                      && negative.rcode() == Rcode.NXDOMAIN
                      && negative.chain().isEmpty()) {
                return askZone(zone, name, type, r);
              }
              // An answer, an alias or NODATA: no zone cut at this label; one label deeper.
              return askMinimised(zone, name, type, r, labels + 1);
            });
  }

  /** Tries the zone's glue addresses in turn, then the servers it named without glue. */
  private CompletableFuture<Step> askZone(Delegation zone, Name name, int type, Resolution r) {
    return askEach(serverRtt.fastestFirst(zone.addresses()), 0, 0, zone.zone(), name, type, r)
        .thenCompose(
            step ->
                retryable(step)
                    ? askGlueless(zone, 0, name, type, r, step)
                    : CompletableFuture.completedFuture(step));
  }

  private static boolean retryable(Step step) {
    return step instanceof Step.Failure failure && failure.retryable();
  }

  /** The overload behind {@code error}, or null if it is another failure. */
  private static UpstreamClient.Overloaded overload(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof UpstreamClient.Overloaded overloaded ? overloaded : null;
  }

  /**
   * Asks the zone's servers one by one; when none answered, goes round again with twice the
   * timeout, as unbound backs off, until the overall deadline. A server that is merely slow (a cold
   * JVM, a loaded host) then costs one more round trip instead of a SERVFAIL.
   */
  private CompletableFuture<Step> askEach(
      List<InetAddress> servers,
      int index,
      int round,
      Name zone,
      Name name,
      int type,
      Resolution r) {
    if (servers.isEmpty()) {
      return failed("no server for " + zone + " answered");
    }
    if (index >= servers.size()) {
      if (round + 1 >= MAX_ROUNDS) {
        return failed("no server for " + zone + " answered in " + MAX_ROUNDS + " rounds");
      }
      return askEach(servers, 0, round + 1, zone, name, type, r);
    }
    long left = r.deadlineMillis - clock.millis();
    if (left <= 0) {
      return failed("out of time after " + limits.totalTimeoutMs() + " ms");
    }
    InetAddress server = servers.get(index);
    long backedOff = (long) limits.queryTimeoutMs() << round;
    Duration timeout = Duration.ofMillis(Math.min(backedOff, left));
    r.upstreamQuerySent();
    upstreamQueries.increment();
    ClientSubnetOption ecs =
        ecsAuthorities.mayReceive(zone, server) ? r.client.outgoingOption() : null;
    boolean caps = hardening.useCapsForId() && !hardening.capsExempt(name);
    Name sent = caps ? Caps0x20.randomize(name) : name;
    long sentAt = System.nanoTime();
    CompletionStage<Message> exchange = upstream.send(query(sent, type, ecs, r), server, timeout);
    if (caps) {
      exchange =
          exchange.thenCompose(
              response ->
                  Caps0x20.echoed(response, sent)
                      ? CompletableFuture.completedFuture(response)
                      : capsFallback(response, name, type, ecs, server, timeout, r));
    }
    return exchange
        .handle(
            (response, error) -> {
              long rttMillis = (System.nanoTime() - sentAt) / 1_000_000;
              if (error != null && overload(error) != null) {
                // Our own limit, not the server's fault: no other server would be asked either.
                Step failure = new Step.Failure(overload(error).getMessage(), true);
                r.note(() -> traceStep(server, zone, sent, type, "-", failure, 0, ecs));
                return failure;
              }
              if (error != null) {
                serverRtt.failed(server, timeout.toMillis());
                Step failure = new Step.Failure(server.getHostAddress() + ": " + error);
                r.note(() -> traceStep(server, zone, sent, type, "-", failure, rttMillis, ecs));
                return failure;
              }
              // A plain-case fallback's response asked for the name as it was: nothing to restore.
              Message readable =
                  caps && Caps0x20.echoed(response, sent)
                      ? Caps0x20.restore(response, sent, name)
                      : response;
              Step step = ResponseReader.read(readable, zone, name, type, ecs != null);
              // A server that answers uselessly (SERVFAIL, lame) goes behind the others too.
              if (step instanceof Step.Failure) {
                serverRtt.failed(server, timeout.toMillis());
              } else {
                serverRtt.answered(server, rttMillis);
              }
              Step answered = step;
              r.note(
                  () ->
                      traceStep(
                          server,
                          zone,
                          sent,
                          type,
                          Rcode.string(response.getRcode()),
                          answered,
                          rttMillis,
                          ecs));
              return step;
            })
        .toCompletableFuture()
        .thenCompose(
            step -> {
              if (step instanceof Step.Failure failure && failure.retryable()) {
                log.debug("{} for {} {}: {}", zone, name, Type.string(type), failure.reason());
                return askEach(servers, index + 1, round, zone, name, type, r);
              }
              return CompletableFuture.completedFuture(step);
            });
  }

  /**
   * unbound's 0x20 fallback: a server that answered without echoing the random case (many do not
   * keep it) is asked once more with the name as the client gave it, and that answer is believed
   * only if it says the same as the first (rcode, answer and authority records): a spoofer would
   * have had to win two races with the same forgery. Otherwise the server counts as failed.
   */
  private CompletableFuture<Message> capsFallback(
      Message first,
      Name name,
      int type,
      ClientSubnetOption ecs,
      InetAddress server,
      Duration timeout,
      Resolution r) {
    long left = r.deadlineMillis - clock.millis();
    if (left <= 0) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("question case not echoed (0x20) and out of time"));
    }
    r.upstreamQuerySent();
    upstreamQueries.increment();
    return upstream
        .send(
            query(name, type, ecs, r),
            server,
            Duration.ofMillis(Math.min(timeout.toMillis(), left)))
        .toCompletableFuture()
        .thenCompose(
            plain ->
                Caps0x20.sameAnswer(first, plain)
                    ? CompletableFuture.completedFuture(plain)
                    : CompletableFuture.failedFuture(
                        new IllegalStateException(
                            "question case not echoed (0x20), and the plain-case answer differs")));
  }

  /**
   * Resolves the address of a name server the referral gave no glue for, then asks it. The child
   * resolution may itself need referrals; the depth limit and the loop check keep it finite.
   */
  private CompletableFuture<Step> askGlueless(
      Delegation zone, int index, Name name, int type, Resolution r, Step lastFailure) {
    List<Name> servers = zone.serversWithoutGlue();
    if (index >= servers.size()) {
      return CompletableFuture.completedFuture(lastFailure);
    }
    Name server = servers.get(index);
    Resolution child =
        r.nameServerDepth < limits.maxNameServerDepth() ? r.forServerAddress(server) : null;
    if (child == null) {
      return askGlueless(zone, index + 1, name, type, r, lastFailure);
    }
    return chase(server, Type.A, new ArrayList<>(), 0, child)
        .thenCompose(resolved -> askEach(addresses(resolved), 0, 0, zone.zone(), name, type, r))
        .thenCompose(
            step ->
                retryable(step)
                    ? askGlueless(zone, index + 1, name, type, r, step)
                    : CompletableFuture.completedFuture(step));
  }

  private static TraceStep traceStep(
      InetAddress server,
      Name zone,
      Name sent,
      int type,
      String rcode,
      Step step,
      long rttMillis,
      ClientSubnetOption ecs) {
    return new TraceStep(
        server.getHostAddress(),
        zone.toString(),
        question(sent, type),
        rcode,
        Steps.describe(step),
        rttMillis,
        ecs != null);
  }

  private static String question(Name name, int type) {
    return name + " " + Type.string(type);
  }

  /** An iterative query; {@code ecs} is the client's subnet if this server may learn it. */
  private Message query(Name name, int type, ClientSubnetOption ecs, Resolution r) {
    Message query = QueryIds.newQuery(Record.newRecord(name, type, r.dclass));
    // DO, as unbound sends it: the signatures are cached with their RRsets and passed on to
    // clients that set DO themselves (validating stubs), stripped for the others.
    query.addRecord(
        ecs == null
            ? new OPTRecord(limits.ednsPayload(), 0, 0, ExtendedFlags.DO)
            : new OPTRecord(limits.ednsPayload(), 0, 0, ExtendedFlags.DO, ecs),
        Section.ADDITIONAL);
    return query;
  }

  private void cacheAll(List<RRset> rrsets, int ecsScope, Resolution r) {
    r.noteEcsScope(ecsScope);
    for (RRset rrset : rrsets) {
      if (!DnameSubstitution.isSynthesized(rrset, rrsets)) {
        records.putRecords(rrset, r.client, ecsScope);
      }
    }
  }

  private static List<InetAddress> addresses(Resolved resolved) {
    List<InetAddress> found = new ArrayList<>();
    for (RRset rrset : resolved.answer()) {
      for (Record record : rrset.rrs(false)) {
        if (record instanceof ARecord a) {
          found.add(a.getAddress());
        }
      }
    }
    return found;
  }

  private static List<RRset> soaAuthority(CachedAnswer negative) {
    return negative.authority();
  }

  private static CompletableFuture<Resolved> finish(
      int rcode, List<RRset> chain, List<RRset> authority, Resolution r) {
    return done(new Resolved(rcode, chain, authority, r.ecsScope(), r.upstreamQueries(), null));
  }

  private static CompletableFuture<Resolved> done(Resolved resolved) {
    return CompletableFuture.completedFuture(resolved);
  }

  private static CompletableFuture<Step> failed(String reason) {
    return CompletableFuture.completedFuture(new Step.Failure(reason));
  }
}
