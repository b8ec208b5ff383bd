package io.shopstack.dns.authoritative.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneFileException;
import io.shopstack.dns.authoritative.zone.ZoneLoader;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.authoritative.zone.ZoneSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The zones being served, and how they are replaced without a restart: the new set is parsed and
 * checked completely off the query path, then published with one volatile write, so a query sees
 * either the old zones or the new ones, never a mix. A broken file is rejected with one log line
 * naming file and line, and the old zones keep serving. Every serial is on /metrics.
 */
public final class ZoneReloader {
  private static final Logger log = LoggerFactory.getLogger(ZoneReloader.class);

  /** What a reload did; {@code error} is null when it succeeded. */
  public record Outcome(List<AuthoritativeZone> changed, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private final List<ZoneSource> sources;
  private final ZoneLoader loader;
  private final MeterRegistry registry;

  /** What asked for a reload: an operator (POST /reload, the API) or the zone file watcher. */
  public enum Trigger {
    ADMIN,
    FILE_WATCH
  }

  private final Consumer<AuthoritativeZone> onSerialChange;
  private final Map<Trigger, Counter> reloaded = new EnumMap<>(Trigger.class);
  private final Map<Trigger, Counter> rejected = new EnumMap<>(Trigger.class);
  private volatile ZoneSet current;

  /** Loads every zone now; a broken one throws, so a server never starts half-configured. */
  public ZoneReloader(
      List<ZoneSource> sources,
      ZoneLoader loader,
      MeterRegistry registry,
      Consumer<AuthoritativeZone> onSerialChange) {
    this.sources = List.copyOf(sources);
    this.loader = loader;
    this.registry = registry;
    this.onSerialChange = onSerialChange;
    for (Trigger trigger : Trigger.values()) {
      String name = trigger.name().toLowerCase(Locale.ROOT);
      reloaded.put(trigger, registry.counter("dns_zone_reloads", "result", "ok", "trigger", name));
      rejected.put(
          trigger, registry.counter("dns_zone_reloads", "result", "rejected", "trigger", name));
    }
    this.current = new ZoneSet(sources.stream().map(loader::load).toList());
    current.all().forEach(this::exposeSerial);
  }

  /** The zones to answer from; read once per query. */
  public ZoneSet current() {
    return current;
  }

  public List<ZoneSource> sources() {
    return sources;
  }

  /** Re-reads every zone; swaps them in only when all of them load. */
  public synchronized Outcome reload(Trigger trigger) {
    ZoneSet next;
    try {
      next = new ZoneSet(sources.stream().map(loader::reload).toList());
    } catch (RuntimeException e) {
      // ZoneFileException names file and line; anything else is still one line, not a trace.
      String why = e instanceof ZoneFileException ? e.getMessage() : e.toString();
      rejected.get(trigger).increment();
      log.warn("zone reload rejected, old zones still served: {}", why);
      return new Outcome(List.of(), why);
    }
    ZoneSet previous = current;
    current = next;
    reloaded.get(trigger).increment();
    List<AuthoritativeZone> changed = new ArrayList<>();
    for (AuthoritativeZone zone : next.all()) {
      AuthoritativeZone before = previous.zone(zone.origin());
      if (before == null) {
        exposeSerial(zone);
      }
      if (before == null || before.soa().getSerial() != zone.soa().getSerial()) {
        changed.add(zone);
      }
    }
    log.info(
        "zones reloaded: {} of {} changed serial {}",
        changed.size(),
        next.size(),
        changed.stream().map(z -> z.origin() + "=" + z.soa().getSerial()).toList());
    changed.forEach(onSerialChange);
    return new Outcome(List.copyOf(changed), null);
  }

  private void exposeSerial(AuthoritativeZone zone) {
    Name origin = zone.origin();
    Gauge.builder("dns_zone_serial", this, r -> r.serialOf(origin))
        .description("SOA serial of each zone being served")
        .tag("zone", origin.toString())
        .register(registry);
  }

  private double serialOf(Name origin) {
    AuthoritativeZone zone = current.zone(origin);
    return zone == null ? Double.NaN : zone.soa().getSerial();
  }
}
