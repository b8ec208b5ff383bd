package io.shopstack.dns.cdn.gslb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.server.Transport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * region lookup, the weighted draw and the copy of the prepared A records remain, done on numbers,
 * offsets and a per-thread scratch: no object is made per query besides the answer's buffer. {@code
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

  /** One per pool of the policy, each with its name's wire form in lower case. */
  private final Service[] services;

  /** Each edge's A record after the owner: TYPE, CLASS, TTL, RDLENGTH, address. */
  private final Map<String, byte[]> records = new HashMap<>();

  private volatile ZoneCheck checked;

  /** The zones this check was made for, and whether every service name is authoritative there. */
  private record ZoneCheck(ZoneSet zones, boolean authoritative) {}

  /** A plan and the health epoch it was made in. */
  private record Prepared(long epoch, GslbPolicy.Plan plan) {}

  /**
   * What the fast path needs per query and keeps per thread (event loop): the query read, and room
   * for the edges of one answer.
   */
  private static final class Scratch {
    final GslbQuery query = new GslbQuery();
    Edge[] edges = new Edge[0];
    int[] weights = new int[0];

    /** Room for {@code n} edges. */
    Scratch room(int n) {
      if (edges.length < n) {
        edges = new Edge[n];
        weights = new int[n];
      }
      return this;
    }
  }

  private static final FastThreadLocal<Scratch> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
          return new Scratch();
        }
      };

  /** One service name and its plans by the client's region ("" for clients in none). */
  private final class Service {
    final Name name;
    final byte[] lowerWire;
    final int edges;
    final ConcurrentHashMap<String, Prepared> plans = new ConcurrentHashMap<>();

    Service(Name name, int edges) {
      this.name = name;
      this.lowerWire = name.toWireCanonical();
      this.edges = edges;
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
    List<Service> named = new ArrayList<>();
    for (Map.Entry<Name, List<Edge>> pool : policy.pools().entrySet()) {
      named.add(new Service(pool.getKey(), pool.getValue().size()));
      for (Edge edge : pool.getValue()) {
        records.computeIfAbsent(edge.name(), e -> aRecord(edge));
      }
    }
    services = named.toArray(new Service[0]);
  }

  /**
   * The service {@code q} names, or null. A scan, not a hash lookup: a CDN serves a handful of
   * names, and comparing the name in place needs no lower-case copy of it per query.
   */
  private Service serviceNamed(GslbQuery q, ByteBuf query) {
    for (Service service : services) {
      if (q.names(query, service.lowerWire)) {
        return service;
      }
    }
    return null;
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
    Scratch scratch = SCRATCH.get();
    GslbQuery q = scratch.query;
    if (!q.read(query)) {
      return null;
    }
    Service service = serviceNamed(q, query);
    if (service == null || !authoritativeIn(zones)) {
      return null;
    }
    RegionMap.Located located = locate(q, client);
    GslbPolicy.Plan plan = service.plan(located.region());
    GslbPolicy.Choice choice = policy.choose(plan);
    Edge[] chosen = scratch.room(service.edges).edges;
    int count = policy.chosen(plan, choice, ThreadLocalRandom.current(), chosen, scratch.weights);
    int optLength = q.edns ? 11 + (q.hasSubnet() ? 8 + q.subnetBytes : 0) : 0;
    int length = HEADER + q.nameLength + 4 + count * 16 + optLength;
    if (transport == Transport.UDP && length > CLASSIC_UDP_LIMIT) {
      return null; // the full path truncates to what the query allows
    }
    int at = query.readerIndex();
    ByteBuf out = alloc.ioBuffer(headroom + length);
    try {
      write(out.writerIndex(headroom), query, at, q, chosen, count, located.scopePrefix());
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    for (int i = 0; i < count; i++) {
      metrics.edgeAnswered(chosen[i]);
      chosen[i] = null; // the scratch keeps no edge of an old policy alive
    }
    metrics.answered(plan.reason(), plan.home(), choice.region());
    metrics.prepared();
    return out;
  }

  /** The client's region: by its Client Subnet, else by its source address. */
  private RegionMap.Located locate(GslbQuery q, InetSocketAddress client) {
    RegionMap regions = policy.regionMap();
    if (q.hasSubnet()) {
      return regions.locate(q.subnetBits, q.sourcePrefix);
    }
    InetAddress source = client.getAddress();
    return source instanceof Inet4Address
        ? regions.locate(RegionMap.ipv4(source.getAddress()), 32)
        : regions.locate(ClientLocation.ofSource(source));
  }

  private void write(
      ByteBuf out, ByteBuf query, int at, GslbQuery q, Edge[] chosen, int count, int scopePrefix) {
    out.writeShort(query.getUnsignedShort(at)); // ID
    out.writeByte(0x84 | (query.getByte(at + 2) & 0x01)); // QR, AA, RD as asked
    out.writeByte(0); // RA clear, NOERROR
    out.writeShort(1).writeShort(count).writeShort(0).writeShort(q.edns ? 1 : 0);
    out.writeBytes(query, at + HEADER, q.nameLength + 4); // the question, letter case kept
    for (int i = 0; i < count; i++) {
      out.writeShort(0xc000 | HEADER); // the owner: a pointer to the question's name
      out.writeBytes(records.get(chosen[i].name()));
    }
    if (q.edns) {
      out.writeByte(0).writeShort(41).writeShort(ednsPayload).writeShort(0);
      out.writeShort(q.dnssecOk ? 0x8000 : 0);
      if (!q.hasSubnet()) {
        out.writeShort(0);
      } else {
        // RFC 7871 7.2.1: FAMILY, SOURCE and ADDRESS as asked, our SCOPE.
        int option = 4 + q.subnetBytes;
        out.writeShort(4 + option).writeShort(8).writeShort(option).writeShort(1);
        out.writeByte(q.sourcePrefix).writeByte(scopePrefix);
        out.writeBytes(query, q.subnetAt, q.subnetBytes);
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
      for (Service service : services) {
        AuthoritativeZone zone = zones.closestEnclosing(service.name);
        all &= zone != null && zone.isAuthoritativeFor(service.name);
      }
      check = new ZoneCheck(zones, all);
      checked = check;
    }
    return check.authoritative();
  }
}
