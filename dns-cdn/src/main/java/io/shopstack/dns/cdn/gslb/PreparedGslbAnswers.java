package io.shopstack.dns.cdn.gslb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Name;

/**
 * The GSLB's fast path: an A query for a service name, with or without a Client Subnet, answered
 * straight from its wire bytes, without building or encoding a dnsjava message. What the slow path
 * works out per query is prepared once: per service and client region, the {@link GslbPolicy.Plan}
 * (candidates, reason, the edges to draw from), kept until the edges' health epoch moves (a check
 * flips an edge, a drain or undrain); a region map reload makes a new instance. Per query only the
 * region lookup, the weighted draw and the copy of the prepared A records remain. {@code
 * GslbFastPathTest} checks every answer byte for byte against the full path's.
 *
 * <p>One instance is one version of the policy and TTL.
 */
final class PreparedGslbAnswers {
  private static final int HEADER = GslbQuery.HEADER;
  private static final int CLASSIC_UDP_LIMIT = 512;

  private final GslbPolicy policy;
  private final long ttl;
  private final int ednsPayload;
  private final GslbMetrics metrics;
  private final Map<ByteBuffer, Service> services = new HashMap<>();

  /** Each edge's A record after the owner: TYPE, CLASS, TTL, RDLENGTH, address. */
  private final Map<String, byte[]> records = new HashMap<>();

  private volatile ZoneCheck checked;

  /** The zones this check was made for, and whether every service name is authoritative there. */
  private record ZoneCheck(ZoneSet zones, boolean authoritative) {}

  /** A plan and the health epoch it was made in. */
  private record Prepared(long epoch, GslbPolicy.Plan plan) {}

  /** One service name and its plans by the client's region ("" for clients in none). */
  private final class Service {
    final Name name;
    final ConcurrentHashMap<String, Prepared> plans = new ConcurrentHashMap<>();

    Service(Name name) {
      this.name = name;
    }

    GslbPolicy.Plan plan(Region home) {
      // Read before the statuses: a change while planning leaves a plan marked as older.
      long epoch = policy.health().epoch();
      String key = home == null ? "" : home.name();
      Prepared prepared = plans.get(key);
      if (prepared == null || prepared.epoch() != epoch) {
        prepared = new Prepared(epoch, policy.plan(name, home));
        plans.put(key, prepared);
      }
      return prepared.plan();
    }
  }

  PreparedGslbAnswers(GslbPolicy policy, long ttl, int ednsPayload, GslbMetrics metrics) {
    this.policy = policy;
    this.ttl = ttl;
    this.ednsPayload = ednsPayload;
    this.metrics = metrics;
    for (Map.Entry<Name, List<Edge>> pool : policy.pools().entrySet()) {
      byte[] wire = pool.getKey().toWireCanonical();
      services.put(ByteBuffer.wrap(wire), new Service(pool.getKey()));
      for (Edge edge : pool.getValue()) {
        records.computeIfAbsent(edge.name(), e -> aRecord(edge));
      }
    }
  }

  GslbPolicy policy() {
    return policy;
  }

  long ttl() {
    return ttl;
  }

  private byte[] aRecord(Edge edge) {
    return ByteBuffer.allocate(14)
        .putShort((short) 1) // A
        .putShort((short) 1) // IN
        .putInt((int) ttl)
        .putShort((short) 4)
        .put(edge.address().getAddress())
        .array();
  }

  /**
   * The answer to {@code query} after {@code headroom} free bytes, or null when it is not a query
   * this path answers (or the service names are not authoritative data of {@code zones} now).
   */
  ByteBuf answer(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport,
      ZoneSet zones) {
    GslbQuery q = GslbQuery.read(query);
    if (q == null) {
      return null;
    }
    Service service = services.get(ByteBuffer.wrap(q.lowerName));
    if (service == null || !authoritativeIn(zones)) {
      return null;
    }
    RegionMap.Located located =
        q.subnet != null
            ? policy.regionMap().locate(q.subnetBits(), q.sourcePrefix)
            : policy.regionMap().locate(ClientLocation.ofSource(client.getAddress()));
    GslbPolicy.Plan plan = service.plan(located.region());
    GslbPolicy.Choice choice = policy.choose(plan);
    List<Edge> chosen = policy.chosen(plan, choice, ThreadLocalRandom.current());
    int optLength = q.edns ? 11 + (q.subnet == null ? 0 : 8 + q.subnet.length) : 0;
    int length = HEADER + q.nameLength + 4 + chosen.size() * 16 + optLength;
    if (transport == Transport.UDP && length > CLASSIC_UDP_LIMIT) {
      return null; // the full path truncates to what the query allows
    }
    int at = query.readerIndex();
    ByteBuf out = alloc.ioBuffer(headroom + length);
    try {
      write(out.writerIndex(headroom), query, at, q, chosen, located.scopePrefix());
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    metrics.answered(plan.reason(), plan.home(), choice.region(), chosen);
    metrics.prepared();
    return out;
  }

  private void write(
      ByteBuf out, ByteBuf query, int at, GslbQuery q, List<Edge> chosen, int scopePrefix) {
    out.writeShort(query.getUnsignedShort(at)); // ID
    out.writeByte(0x84 | (query.getByte(at + 2) & 0x01)); // QR, AA, RD as asked
    out.writeByte(0); // RA clear, NOERROR
    out.writeShort(1).writeShort(chosen.size()).writeShort(0).writeShort(q.edns ? 1 : 0);
    out.writeBytes(query, at + HEADER, q.nameLength + 4); // the question, letter case kept
    for (Edge edge : chosen) {
      out.writeShort(0xc000 | HEADER); // the owner: a pointer to the question's name
      out.writeBytes(records.get(edge.name()));
    }
    if (q.edns) {
      out.writeByte(0).writeShort(41).writeShort(ednsPayload).writeShort(0);
      out.writeShort(q.dnssecOk ? 0x8000 : 0);
      if (q.subnet == null) {
        out.writeShort(0);
      } else {
        // RFC 7871 7.2.1: FAMILY, SOURCE and ADDRESS as asked, our SCOPE.
        int option = 4 + q.subnet.length;
        out.writeShort(4 + option).writeShort(8).writeShort(option).writeShort(1);
        out.writeByte(q.sourcePrefix).writeByte(scopePrefix).writeBytes(q.subnet);
      }
    }
  }

  /**
   * The full path answers a service name only where the zones hold it as authoritative data (not
   * below a delegation); a zone reload could change that, so it is checked once per zone set.
   */
  private boolean authoritativeIn(ZoneSet zones) {
    if (zones == null) {
      return false;
    }
    ZoneCheck check = checked;
    if (check == null || check.zones() != zones) {
      boolean all = true;
      for (Service service : services.values()) {
        AuthoritativeZone zone = zones.closestEnclosing(service.name);
        all &= zone != null && zone.isAuthoritativeFor(service.name);
      }
      check = new ZoneCheck(zones, all);
      checked = check;
    }
    return check.authoritative();
  }
}
