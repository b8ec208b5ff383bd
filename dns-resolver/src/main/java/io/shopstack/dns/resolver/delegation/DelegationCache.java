package io.shopstack.dns.resolver.delegation;

import io.shopstack.dns.resolver.cache.BoundedTtlMap;
import io.shopstack.dns.resolver.cache.CacheSettings;
import io.shopstack.dns.resolver.cache.Ttls;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Zone cuts learnt from referrals (unbound's "infrastructure cache"): the second lookup of any name
 * in shop.example goes straight to shop.example's servers instead of starting at the root.
 */
public final class DelegationCache {
  private final BoundedTtlMap<Name, Delegation> cuts;
  private final Delegation rootHints;
  private final long maxTtlSeconds;

  public DelegationCache(CacheSettings settings, List<InetAddress> rootHints, InstantSource clock) {
    this.cuts = new BoundedTtlMap<>(settings.maxDelegations(), clock);
    this.rootHints = Delegation.rootHints(rootHints);
    this.maxTtlSeconds = settings.maxTtlSeconds();
  }

  public void put(Delegation delegation) {
    cuts.put(delegation.zone(), delegation, Math.min(delegation.ttl(), maxTtlSeconds));
  }

  /** The deepest known zone cut at or above {@code name}; the root hints if none is cached. */
  public Delegation closestEnclosing(Name name) {
    for (Name zone = name; zone.labels() > 1; zone = new Name(zone, 1)) {
      Optional<BoundedTtlMap.Aged<Delegation>> hit = cuts.get(zone);
      if (hit.isPresent()) {
        Delegation d = hit.get().value();
        return new Delegation(
            d.zone(),
            Ttls.withTtl(d.nameServers(), hit.get().remainingSeconds()),
            d.addresses(),
            d.serversWithoutGlue());
      }
    }
    return rootHints;
  }

  /** Forgets the zone cuts at or below {@code zone} (unbound-control's flush_zone does too). */
  public int flushZone(Name zone) {
    return cuts.removeIf(cut -> cut.subdomain(zone));
  }

  /** Every learnt zone cut gone; the root hints stay. */
  public int flushAll() {
    return cuts.removeIf(cut -> true);
  }

  public int size() {
    return cuts.size();
  }
}
