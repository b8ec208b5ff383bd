package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class QueryIdsTest {
  @Test
  void anUpstreamQueryIsByteForByteDnsjavasNewQueryWithoutRd() throws Exception {
    Record question = Record.newRecord(Name.fromString("static.shop.example."), Type.A, 1);

    Message ours = QueryIds.newQuery(question);
    Message dnsjavas = Message.newQuery(question);
    dnsjavas.getHeader().unsetFlag(Flags.RD);
    dnsjavas.getHeader().setID(ours.getHeader().getID());

    assertThat(ours.toWire()).isEqualTo(dnsjavas.toWire());
  }

  @Test
  void idsAreSpreadOverAllSixteenBitsAcrossBatches() {
    // 4,000 IDs span 31 batches. Uniform draws from 65,536 values repeat about 120 times in
    // 4,000 (birthday bound); a counter, a narrow range or a batch handed out twice would not
    // pass.
    Set<Integer> distinct = new HashSet<>();
    int highBitSet = 0;
    int lowBitSet = 0;
    for (int i = 0; i < 4000; i++) {
      int id = QueryIds.next();
      assertThat(id).isBetween(0, 0xffff);
      distinct.add(id);
      highBitSet += id >>> 15;
      lowBitSet += id & 1;
    }
    assertThat(distinct).hasSizeGreaterThan(3700);
    assertThat(highBitSet).isBetween(1700, 2300);
    assertThat(lowBitSet).isBetween(1700, 2300);
  }
}
