package io.shopstack.dns.resolver.cache;

import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.resolver.ecs.ClientSubnet;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The answer cache: RRsets and negative answers by (name, type, class), and, when the authoritative
 * server said its answer depends on where the client is (an ECS scope above 0), by client subnet
 * too, so a phone in the north never gets the south's edge from cache.
 */
public final class RecordCache {
  /**
   * A cached answer and its last copy counted down to whole seconds: rewriting TTLs re-encodes
   * every record, and a popular name is asked many times a second, so hits within one second share
   * one copy.
   */
  private static final class Stored {
    private record CountedDown(long remaining, CachedAnswer answer) {}

    final CachedAnswer original;
    private volatile CountedDown last;

    Stored(CachedAnswer original) {
      this.original = original;
    }

    CachedAnswer countedDownTo(long remaining) {
      CountedDown memo = last;
      if (memo == null || memo.remaining() != remaining) {
        memo = new CountedDown(remaining, countedDown(original, remaining));
        last = memo;
      }
      return memo.answer();
    }
  }

  private final BoundedTtlMap<CacheKey, Stored> entries;
  private final CacheSettings settings;

  /**
   * Whether a DNAME was ever cached: until then a name that missed need not be looked up again
   * under each of its ancestors (two lookups per cold name of three labels). Never cleared, so it
   * can only say "maybe" too often, never "no" wrongly.
   */
  private volatile boolean dnamesCached;

  /** Scope lengths seen so far (longest first), so a lookup tries only prefixes that can exist. */
  private final Set<Integer> scopedPrefixes =
      new ConcurrentSkipListSet<>(Comparator.reverseOrder());

  public RecordCache(CacheSettings settings, InstantSource clock) {
    this.settings = settings;
    this.entries =
        new BoundedTtlMap<>(
            settings.maxBytes(),
            stored -> stored.original.sizeInBytes(),
            settings.staleSeconds(),
            clock);
  }

  /**
   * RFC 8767 4: a stale answer is given out with a TTL of 30 seconds, so clients come back soon.
   */
  public static final long STALE_TTL_SECONDS = 30;

  /**
   * What may be told to {@code client} about (name, type, class), TTLs counted down; flagged for
   * prefetch in the last tenth of its TTL (unbound's prefetch rule).
   */
  public Optional<CachedAnswer> lookup(Name name, int type, int dclass, ClientSubnet client) {
    return find(name, type, dclass, client, entries::get)
        .map(
            aged -> {
              CachedAnswer answer = aged.value().countedDownTo(aged.remainingSeconds());
              return prefetchDue(aged.remainingSeconds(), aged.ttlSeconds())
                  ? answer.withPrefetchDue()
                  : answer;
            });
  }

  /**
   * Everyone's answer (no ECS scope) under {@code question}, a key read off a query's wire, as its
   * kept encodings and the seconds it has left, so that they can be replayed; null when there is
   * none, or when it is due for prefetch (the full path, which starts the refresh, answers that
   * query). An answer for everyone is what {@link #lookup} finds first for any client, so both give
   * the same.
   */
  public Replayable lookupForReplay(CacheKey question) {
    return entries.read(question, RecordCache::unlessPrefetchDue);
  }

  /** An entry's kept encodings and the seconds it has left: all a replayed answer needs. */
  public record Replayable(WireForms forms, long secondsLeft) {}

  private static Replayable unlessPrefetchDue(Stored stored, long remaining, long ttl) {
    return prefetchDue(remaining, ttl)
        ? null
        : new Replayable(stored.original.wireForms(), remaining);
  }

  private static boolean prefetchDue(long remaining, long ttl) {
    return remaining * 10 < ttl;
  }

  /**
   * An answer that may have expired less than {@code cache.staleSeconds} ago, for when no authority
   * can be reached (RFC 8767); stale entries carry a TTL of {@link #STALE_TTL_SECONDS}.
   */
  public Optional<CachedAnswer> lookupStale(Name name, int type, int dclass, ClientSubnet client) {
    return find(name, type, dclass, client, entries::getStale)
        .map(
            aged ->
                aged.value()
                    .countedDownTo(
                        aged.stale()
                            ? STALE_TTL_SECONDS
                            : Math.min(aged.remainingSeconds(), STALE_TTL_SECONDS)));
  }

  private Optional<BoundedTtlMap.Aged<Stored>> find(
      Name name,
      int type,
      int dclass,
      ClientSubnet client,
      Function<CacheKey, Optional<BoundedTtlMap.Aged<Stored>>> get) {
    Optional<BoundedTtlMap.Aged<Stored>> hit =
        get.apply(CacheKey.of(name, type, dclass, CacheScope.EVERYONE));
    if (hit.isEmpty() && client.optedOut()) {
      hit = get.apply(CacheKey.of(name, type, dclass, CacheScope.UNLOCATED));
    }
    if (hit.isEmpty() && !client.optedOut()) {
      AddressBlock source = client.source();
      for (int prefix : scopedPrefixes) {
        if (prefix <= source.prefixLength()) {
          CacheScope scope = CacheScope.of(AddressBlock.of(source.network(), prefix));
          hit = get.apply(CacheKey.of(name, type, dclass, scope));
          if (hit.isPresent()) {
            break;
          }
        }
      }
    }
    return hit;
  }

  /**
   * Caches records fetched for {@code askedFor}, whose response carried ECS scope {@code scope}.
   */
  public void putRecords(RRset records, ClientSubnet askedFor, int scope) {
    putRecords(records, List.of(), askedFor, scope);
  }

  /** As above, with a wildcard expansion's NSEC/NSEC3 proof ({@link CachedAnswer#positive}). */
  public void putRecords(RRset records, List<RRset> proof, ClientSubnet askedFor, int scope) {
    long ttl = Math.min(records.getTTL(), settings.maxTtlSeconds());
    if (records.getType() == Type.DNAME && !dnamesCached) {
      dnamesCached = true;
    }
    CacheKey key = key(records.getName(), records.getType(), records.getDClass(), askedFor, scope);
    entries.put(key, new Stored(CachedAnswer.positive(records, proof, scope)), ttl);
  }

  /**
   * Caches "no such name" or "no such type". RFC 2308 5: the negative TTL is the smaller of the
   * SOA's own TTL and its MINIMUM field; without a SOA nothing proves the answer, so it is not
   * kept.
   */
  public void putNegative(
      Name name, int type, int dclass, int rcode, SOARecord soa, ClientSubnet askedFor, int scope) {
    putNegative(name, type, dclass, rcode, soa, List.of(), askedFor, scope);
  }

  /** As above, with the signed proof ({@link CachedAnswer#negative}'s) given to DO clients. */
  public void putNegative(
      Name name,
      int type,
      int dclass,
      int rcode,
      SOARecord soa,
      List<RRset> proof,
      ClientSubnet askedFor,
      int scope) {
    if (soa == null) {
      return;
    }
    long ttl = Math.min(Math.min(soa.getTTL(), soa.getMinimum()), settings.maxNegativeTtlSeconds());
    entries.put(
        key(name, type, dclass, askedFor, scope),
        new Stored(CachedAnswer.negative(rcode, soa, proof, scope)),
        ttl);
    if (rcode == Rcode.NXDOMAIN && type != Type.ANY) {
      // The name itself is gone, whatever the type: kept once more under ANY for lookupNxdomain.
      putNegative(name, Type.ANY, dclass, rcode, soa, proof, askedFor, scope);
    }
  }

  /**
   * A cached NXDOMAIN for {@code name} or the closest ancestor that has one (RFC 8020: nothing
   * exists below a name that does not exist), the root excluded.
   */
  public Optional<CachedAnswer> lookupNxdomain(Name name, int dclass, ClientSubnet client) {
    for (int strip = 0; strip < name.labels() - 1; strip++) {
      Name at = strip == 0 ? name : new Name(name, strip);
      Optional<CachedAnswer> hit = lookup(at, Type.ANY, dclass, client);
      if (hit.isPresent() && hit.get().isNegative() && hit.get().rcode() == Rcode.NXDOMAIN) {
        return hit;
      }
    }
    return Optional.empty();
  }

  /** False while no DNAME record was ever cached: then no lookup for one can hit. */
  public boolean mayHoldDnames() {
    return dnamesCached;
  }

  /**
   * RFC 8767's client response timer: how long a client waits for a resolution before an expired
   * answer is given instead; 0 when serve-stale or the timer is off.
   */
  public long staleAnswerAfterMillis() {
    return settings.staleSeconds() == 0 ? 0 : settings.staleAnswerAfterMs();
  }

  /** Every entry gone (unbound's answer to too many unwanted replies). */
  public int flushAll() {
    return entries.removeIf(key -> true);
  }

  /** unbound-control's {@code flush}: every entry at exactly {@code name}, any type or scope. */
  public int flush(Name name) {
    return entries.removeIf(key -> key.name().equals(name));
  }

  /** unbound-control's {@code flush_zone}: every entry at {@code zone} or below it. */
  public int flushZone(Name zone) {
    return entries.removeIf(key -> key.name().subdomain(zone));
  }

  /**
   * unbound-control's {@code dump_cache}, as text: every live entry's records in master-file form
   * with their remaining TTLs (signatures and a negative answer's SOA included), a negative entry
   * as a comment naming its rcode, the type it answers and its scope when not everyone's.
   */
  public List<String> dump() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<CacheKey, BoundedTtlMap.Aged<Stored>> entry : entries.live()) {
      CacheKey key = entry.getKey();
      CachedAnswer answer =
          entry.getValue().value().countedDownTo(entry.getValue().remainingSeconds());
      String scope = key.scope() == CacheScope.EVERYONE ? "" : " scope " + key.scope();
      if (answer.isNegative()) {
        lines.add(
            "; "
                + Rcode.string(answer.rcode())
                + " "
                + key.name()
                + " "
                + Type.string(key.type())
                + " ttl "
                + entry.getValue().remainingSeconds()
                + scope);
        for (RRset rrset : answer.authority()) {
          rrset.rrs(false).forEach(r -> lines.add(r.toString()));
          rrset.sigs().forEach(r -> lines.add(r.toString()));
        }
      } else {
        if (!scope.isEmpty()) {
          lines.add(";" + scope);
        }
        answer.records().rrs(false).forEach(r -> lines.add(r.toString()));
        answer.records().sigs().forEach(r -> lines.add(r.toString()));
      }
    }
    return lines;
  }

  public int size() {
    return entries.size();
  }

  /** What the cached entries count against {@code cache.maxBytes}. */
  public long bytes() {
    return entries.weight();
  }

  private CacheKey key(Name name, int type, int dclass, ClientSubnet askedFor, int scope) {
    if (askedFor.optedOut()) {
      return CacheKey.of(name, type, dclass, CacheScope.UNLOCATED);
    }
    if (scope == 0) {
      return CacheKey.of(name, type, dclass, CacheScope.EVERYONE);
    }
    // RFC 7871 7.3.1: a scope longer than what we sent tells us nothing finer than what we sent.
    int prefix = Math.min(scope, askedFor.source().prefixLength());
    scopedPrefixes.add(prefix);
    return CacheKey.of(
        name, type, dclass, CacheScope.of(AddressBlock.of(askedFor.source().network(), prefix)));
  }

  private static CachedAnswer countedDown(CachedAnswer answer, long remaining) {
    List<RRset> proof = new ArrayList<>(answer.proof().size());
    for (RRset rrset : answer.proof()) {
      proof.add(Ttls.withTtl(rrset, Math.min(rrset.getTTL(), remaining)));
    }
    if (answer.isNegative()) {
      return answer.countedDown(null, Ttls.withTtl(answer.soa(), remaining), proof, remaining);
    }
    return answer.countedDown(Ttls.withTtl(answer.records(), remaining), null, proof, remaining);
  }
}
