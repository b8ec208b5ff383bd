package io.shopstack.dns.authoritative.zone;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * A zone's records by owner name, built once at load and read-only afterwards.
 *
 * <p>Most names of a big zone own a single record, so such a name keeps that {@link Record} alone,
 * and its RRset is made when a lookup asks for it (lookups run when an answer is prepared, not for
 * every query). A set of its own would cost a name an {@code RRset} with two lists, an array and a
 * one-entry map: 128 of the ~290 bytes a record of a million-record zone held, and four of its nine
 * objects, which the garbage collector copied while the zone was loading. A name with more records
 * keeps its RRsets by type, file order (ANY answers the first): a one-entry map for one type, a
 * {@code LinkedHashMap} for more.
 */
final class ZoneNodes {
  /** Per name: a lone {@link Record}, or a {@code Map<Integer, RRset>} of its RRsets by type. */
  private final Map<Name, Object> nodes;

  private ZoneNodes(Map<Name, Object> nodes) {
    this.nodes = nodes;
  }

  /** The RRsets {@code name} owns by type, in file order; null when it owns none. */
  Map<Integer, RRset> types(Name name) {
    return typesOf(nodes.get(name));
  }

  boolean contains(Name name) {
    return nodes.containsKey(name);
  }

  int size() {
    return nodes.size();
  }

  /** Every record of every name but {@code except}, walked lazily (for zone transfers). */
  Stream<Record> recordsExcept(Name except) {
    return nodes.entrySet().stream()
        .filter(node -> !node.getKey().equals(except))
        .flatMap(node -> recordsOf(node.getValue()));
  }

  private static Stream<Record> recordsOf(Object node) {
    if (node instanceof Record lone) {
      return Stream.of(lone);
    }
    return typesOf(node).values().stream().flatMap(set -> set.rrs(false).stream());
  }

  @SuppressWarnings("unchecked")
  private static Map<Integer, RRset> typesOf(Object node) {
    if (node == null) {
      return null;
    }
    if (node instanceof Record lone) {
      return Map.of(lone.getType(), new RRset(lone));
    }
    return (Map<Integer, RRset>) node;
  }

  /**
   * Adds records one by one. A record of the owner just added (files group an owner's records)
   * finds its node without a lookup, and a new owner costs one lookup, not a miss and then a put:
   * the table of a big zone does not fit the cache, so each lookup is a memory access.
   */
  static final class Builder {
    private final Map<Name, Object> nodes;
    private Name lastName;
    private Object lastNode;

    Builder(int records) {
      // Sized once: a million-record zone must not rehash its way up. A HashMap, not Map.copyOf:
      // dnsjava's Name hash collides often for names that differ in digits (h10 / h09), and
      // HashMap's tree bins take that in their stride where an open-addressed table clusters.
      nodes = new HashMap<>((int) Math.min(1 << 30, records / 0.75 + 1));
    }

    void add(Record r) {
      Name name = r.getName();
      Object node = name == lastName ? lastNode : nodes.putIfAbsent(name, r);
      if (node == null) {
        remember(name, r); // a new name, its record alone
        return;
      }
      Map<Integer, RRset> types;
      if (node instanceof Record lone) {
        // The name's second record: from now on it keeps RRsets.
        types = Map.of(lone.getType(), new RRset(lone));
      } else {
        @SuppressWarnings("unchecked")
        Map<Integer, RRset> existing = (Map<Integer, RRset>) node;
        types = existing;
      }
      RRset set = types.get(r.getType());
      if (set == null) {
        if (!(types instanceof LinkedHashMap)) {
          types = new LinkedHashMap<>(types);
        }
        set = new RRset();
        types.put(r.getType(), set);
      }
      set.addRR(r);
      if (types != node) {
        nodes.put(name, types);
      }
      remember(name, types);
    }

    private void remember(Name name, Object node) {
      lastName = name;
      lastNode = node;
    }

    ZoneNodes build() {
      return new ZoneNodes(nodes);
    }
  }
}
