package io.shopstack.dns.authoritative.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The fast reader against dnsjava's Master, the reference: the same records, TTLs and owners,
 * record for record, for every one-line form a master file may use; and everything else is left to
 * Master (null), so that it parses, or names the error, as it always did.
 */
class OneLineRecordsTest {
  private static final Name ORIGIN = Name.fromConstantString("fast.test.");

  private static final String PLAIN =
      String.join(
          "\n",
          "; a comment line, then a blank one",
          "",
          "@ IN SOA ns1 hostmaster 7 3600 900 604800 60 ; SOA on one line",
          "@ IN NS ns1",
          "  IN NS ns2.fast.test. ; blank owner: the previous one",
          "\tIN MX 10 mail",
          "ns1 IN A 127.0.0.1",
          "ns2 300 IN A 127.0.0.2",
          "ns3 IN 300 A 127.0.0.3",
          "ns4 1h A 127.0.0.4",
          "ns5 A 127.0.0.5",
          "v6 IN AAAA fd00::1",
          "v6 IN AAAA ::ffff:10.0.0.1",
          "www IN CNAME ns1",
          "out IN CNAME elsewhere.example.",
          "sub IN NS ns.sub",
          "txt IN TXT \"one; not a comment\" \"two  spaces\" three",
          "txt IN TXT \"an \\\"escaped\\\" quote\"",
          "esc\\.dot IN A 127.0.0.6",
          "MiXeD.Case IN A 127.0.0.7",
          "lower in a 127.0.0.12 ; words in any case",
          "lower in aaaa fd00::12",
          "lower IN cname ns1",
          "ns6 IN A 0.0.0.0",
          "ns6 IN A 255.255.255.255 ; the owner written the same way again",
          "NS6 IN AAAA ::1",
          "cls CH A 127.0.0.13",
          "_sip._tcp IN SRV 10 5 5060 ns1",
          "@ IN CAA 0 issue \"letsencrypt.org\"",
          "$TTL 120",
          "later IN A 127.0.0.8",
          "$ORIGIN other.fast.test.",
          "@ IN A 127.0.0.9",
          "x IN TXT plain",
          "$ttl 1d",
          "y CLASS1 A 127.0.0.10",
          "z IN TYPE1 \\# 4 7f00000b",
          "");

  private static List<String> master(String text) throws Exception {
    List<String> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ORIGIN, 3600)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r.toString());
      }
    }
    return records;
  }

  private static List<String> fast(String text) {
    List<Record> records = OneLineRecords.read(text, ORIGIN, 3600);
    return records == null ? null : records.stream().map(Record::toString).toList();
  }

  @Test
  void everyOneLineFormReadsAsMasterReadsIt() throws Exception {
    List<String> reference = master(PLAIN);
    assertThat(reference).hasSize(32);
    assertThat(fast(PLAIN)).containsExactlyElementsOf(reference);
  }

  @Test
  void aGeneratedBigZoneReadsTheSame() throws Exception {
    StringBuilder zone = new StringBuilder("$ORIGIN big.test.\n$TTL 3600\n");
    zone.append("@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n@ IN NS ns1\nns1 IN A 10.0.0.1\n");
    for (int i = 0; i < 5000; i++) {
      zone.append("h").append(i).append(" IN A 10.1.").append(i / 250).append('.');
      zone.append(i % 250).append('\n').append("h").append(i).append(" IN AAAA fd00::");
      zone.append(Integer.toHexString(i + 1)).append("\nc").append(i).append(" IN CNAME h");
      zone.append(i).append('\n');
    }
    List<String> reference = master(zone.toString());
    assertThat(reference).hasSize(15_003);
    assertThat(fast(zone.toString())).containsExactlyElementsOf(reference);
  }

  /**
   * A big file is read in pieces in parallel; whatever the cut, with directives, comments and blank
   * owners near it, the records are Master's, in Master's order.
   */
  @Test
  void aBigFileReadInParallelPiecesReadsTheSame() throws Exception {
    StringBuilder zone = new StringBuilder("$TTL 3600\n");
    zone.append("@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n@ IN NS ns1\nns1 IN A 10.0.0.1\n");
    for (int i = 0; i < 40_000; i++) {
      if (i % 9_000 == 4_500) {
        zone.append("$TTL ").append(60 + i).append("\n; a comment\n\n");
      }
      if (i % 13_000 == 6_500) {
        zone.append("$ORIGIN sub").append(i).append(".fast.test.\n");
      }
      zone.append("h").append(i).append(" IN A 10.2.").append(i / 250).append('.');
      zone.append(i % 250).append('\n');
      if (i % 7 == 0) {
        zone.append("  IN TXT \"same owner ").append(i).append("\"\n");
      }
    }
    String text = zone.toString();
    assertThat(text.length()).isGreaterThan(OneLineRecords.PARALLEL_BYTES);
    List<String> reference = master(text);
    for (int pieces : new int[] {2, 3, 7, 64}) {
      List<Record> records = OneLineRecords.read(text, ORIGIN, 3600, pieces);
      assertThat(records).as("%d pieces", pieces).isNotNull();
      assertThat(records.stream().map(Record::toString).toList())
          .as("%d pieces", pieces)
          .containsExactlyElementsOf(reference);
    }
  }

  @Test
  void whatItDoesNotReadIsLeftToMaster() {
    for (String text :
        List.of(
            "@ IN SOA ns1 hostmaster ( 1 3600\n 900 604800 60 )\n", // multi-line
            "$INCLUDE other.zone\n",
            "$GENERATE 1-10 h$ A 10.0.0.$\n",
            "$ORIGIN\n", // a directive without its argument
            "  IN A 10.0.0.1\n", // no owner yet
            "a IN A 10.0.0.256\n", // not an address: Master names the error
            "a IN A 010.0.0.1\n", // a leading zero, which dnsjava refuses
            "a IN A 10.0.0\n",
            "a IN A 10.0.0.1.2\n",
            "a IN A 10..0.1\n",
            "a IN A 10.0.0.\n",
            "a IN A 1000.0.0.1\n",
            "a IN A 10.0.0.x\n",
            "a IN AAAA fd00::zz\n",
            "a IN BOGUS 1\n",
            "a IN A\n",
            "a IN A 10.0.0.1 extra\n",
            "a IN TXT \"unterminated\n",
            "a IN MX ten mail\n")) {
      assertThat(OneLineRecords.read(text, ORIGIN, 3600)).as(text).isNull();
    }
  }
}
