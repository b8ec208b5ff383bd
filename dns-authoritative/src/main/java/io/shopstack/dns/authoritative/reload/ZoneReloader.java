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
import java.util.HashMap;
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

  /**
   * What a reload did: the zones whose serial changed, the origins whose files were read again (the
   * others were unchanged on disk and kept as they were); {@code error} is null when it succeeded.
   */
  public record Outcome(List<AuthoritativeZone> changed, List<Name> reread, String error) {
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

  /** Each zone's file as it was when last read; touched only under this object's lock. */
  private final Map<Name, ZoneFileStamp> stamps = new HashMap<>();

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
    List<AuthoritativeZone> zones = new ArrayList<>();
    for (ZoneSource source : this.sources) {
      // Stamped before reading: an edit during the read shows as a change at the next reload.
      stamps.put(source.origin(), ZoneFileStamp.ofLocation(source.location()));
      zones.add(loader.load(source));
    }
    this.current = new ZoneSet(zones);
    current.all().forEach(this::exposeSerial);
  }

  /** The zones to answer from; read once per query. */
  public ZoneSet current() {
    return current;
  }

  public List<ZoneSource> sources() {
    return sources;
  }

  /**
   * Re-reads every zone whose file changed since it was read (modification time, size or identity,
   * {@link ZoneFileStamp}) and keeps the others as they are, the very same objects, so the
   * transport keeps their prepared answers too; swaps the set in only when every zone loads.
   */
  public synchronized Outcome reload(Trigger trigger) {
    ZoneSet previous = current;
    ZoneSet next;
    Map<Name, ZoneFileStamp> nextStamps = new HashMap<>();
    List<Name> reread = new ArrayList<>();
    try {
      List<AuthoritativeZone> zones = new ArrayList<>();
      for (ZoneSource source : sources) {
        ZoneFileStamp stamp = ZoneFileStamp.ofLocation(source.location());
        nextStamps.put(source.origin(), stamp);
        AuthoritativeZone before = previous.zone(source.origin());
        if (stamp != null && before != null && stamp.unchangedSince(stamps.get(source.origin()))) {
          zones.add(before);
        } else {
          zones.add(loader.reload(source));
          reread.add(source.origin());
        }
      }
      next = new ZoneSet(zones);
    } catch (RuntimeException e) {
      // ZoneFileException names file and line; anything else is still one line, not a trace.
      String why = e instanceof ZoneFileException ? e.getMessage() : e.toString();
      rejected.get(trigger).increment();
      log.warn("zone reload rejected, old zones still served: {}", why);
      return new Outcome(List.of(), List.of(), why);
    }
    current = next;
    stamps.putAll(nextStamps);
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
        "zones reloaded: {} of {} files read again (the others unchanged on disk), {} changed serial"
            + " {}",
        reread.size(),
        next.size(),
        changed.size(),
        changed.stream().map(z -> z.origin() + "=" + z.soa().getSerial()).toList());
    changed.forEach(onSerialChange);
    return new Outcome(List.copyOf(changed), List.copyOf(reread), null);
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
