package io.shopstack.dns.authoritative.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A name that keeps its lone record answers with the same RRset a name with a set of its own would
 * give, and a name's second record, next to the first or after other names, turns it into sets by
 * type in file order, duplicates merged and TTLs lowered as an RRset does.
 */
class ZoneNodesTest {
  private static final Name A_NAME = Name.fromConstantString("a.nodes.test.");
  private static final Name B_NAME = Name.fromConstantString("b.nodes.test.");

  @Test
  void aLoneRecordIsItsOwnRrset() throws Exception {
    Record a = address(A_NAME, 300, "10.0.0.1");
    ZoneNodes nodes = build(a);

    assertThat(nodes.types(A_NAME)).containsOnlyKeys(Type.A);
    RRset set = nodes.types(A_NAME).get(Type.A);
    assertThat(set.rrs(false)).containsExactly(a);
    assertThat(set.getTTL()).isEqualTo(300);
    assertThat(nodes.types(B_NAME)).isNull();
    assertThat(nodes.contains(A_NAME)).isTrue();
    assertThat(nodes.recordsExcept(B_NAME).toList()).containsExactly(a);
  }

  @Test
  void aSecondRecordMakesSetsInFileOrderWhetherItFollowsOrComesBack() throws Exception {
    Record a1 = address(A_NAME, 300, "10.0.0.1");
    Record b = address(B_NAME, 300, "10.0.0.9");
    Record text = new TXTRecord(A_NAME, DClass.IN, 300, "second type");
    Record a2 = address(A_NAME, 60, "10.0.0.2");
    Record v6 = new AAAARecord(B_NAME, DClass.IN, 300, InetAddress.getByName("fd00::9"));

    ZoneNodes nodes = build(a1, b, text, a2, a1, v6);

    assertThat(nodes.types(A_NAME).keySet()).containsExactly(Type.A, Type.TXT);
    RRset addresses = nodes.types(A_NAME).get(Type.A);
    assertThat(addresses.rrs(false)).containsExactly(a1, a2); // a1 once
    assertThat(addresses.getTTL()).isEqualTo(60); // RFC 2181 5.2: the set's lowest TTL
    assertThat(nodes.types(B_NAME).keySet()).containsExactly(Type.A, Type.AAAA);
    assertThat(nodes.size()).isEqualTo(2);
    assertThat(nodes.recordsExcept(B_NAME).map(Record::getType).toList())
        .containsExactly(Type.A, Type.A, Type.TXT);
  }

  @Test
  void aRecordOfTheOwnerJustAddedJoinsItsSet() throws Exception {
    Record first = address(A_NAME, 300, "10.0.0.1");
    Record second = address(A_NAME, 300, "10.0.0.2");
    Record third = address(A_NAME, 300, "10.0.0.3");

    ZoneNodes nodes = build(first, second, third);

    assertThat(nodes.types(A_NAME)).containsOnlyKeys(Type.A);
    assertThat(nodes.types(A_NAME).get(Type.A).rrs(false)).containsExactly(first, second, third);
  }

  private static ZoneNodes build(Record... records) {
    ZoneNodes.Builder builder = new ZoneNodes.Builder(records.length);
    List.of(records).forEach(builder::add);
    return builder.build();
  }

  private static Record address(Name name, long ttl, String address) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(address));
  }
}
