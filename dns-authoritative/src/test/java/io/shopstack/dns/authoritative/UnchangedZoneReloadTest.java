package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.authoritative.reload.ZoneReloader;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 14: a reload reads again only the zone files that changed, as BIND's {@code rndc reload}
 * and NSD's {@code nsd-control reload} do, and the zones it did not touch keep their prepared
 * answers: after one small zone changed, a big zone's answers are replayed at once instead of being
 * computed again one question at a time. What an answer draws from the changed zone (an alias into
 * it) is never carried over.
 */
class UnchangedZoneReloadTest {
  private static final int RECORDS = 50_000;
  private static final Instant LONG_AGO = Instant.now().minus(Duration.ofMinutes(10));

  @TempDir Path dir;

  private static void writeBigZone(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("$ORIGIN big.example.\n$TTL 3600\n");
      out.write("@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n");
      out.write("@ IN NS ns1\nns1 IN A 127.0.0.6\n");
      out.write("alias IN CNAME www.small.example.\n");
      for (int i = 0; i < RECORDS; i++) {
        out.write("h" + i + " IN A 10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        out.newLine();
      }
    }
  }

  private static void writeSmallZone(Path file, int serial, String address) throws IOException {
    Files.writeString(
        file,
        "$ORIGIN small.example.\n$TTL 300\n"
            + "@ IN SOA ns1 hostmaster "
            + serial
            + " 3600 900 1209600 300\n"
            + "@ IN NS ns1\nns1 IN A 127.0.0.7\nwww IN A "
            + address
            + "\n");
  }

  private static List<String> answer(AuthoritativeServer server, String name) throws Exception {
    return TestDns.section(TestDns.ask(server.dnsPort(), false, name, Type.A), Section.ANSWER);
  }

  private static double replayed(AuthoritativeServer server) {
    return server.registry().get("dns_prepared_answers_replayed").functionCounter().count();
  }

  @Test
  void onlyTheChangedFileIsReadAgainAndTheOtherZoneKeepsItsPreparedAnswers() throws Exception {
    Path big = dir.resolve("big.example.zone");
    Path small = dir.resolve("small.example.zone");
    writeBigZone(big);
    writeSmallZone(small, 1, "10.9.0.1");
    // Written long ago, as zone files on a server are: their stamps are settled.
    Files.setLastModifiedTime(big, FileTime.from(LONG_AGO));
    Files.setLastModifiedTime(small, FileTime.from(LONG_AGO));
    try (AuthoritativeServer server =
        TestDns.start("big.example.=" + big + ",small.example.=" + small)) {
      List<String> h77 = answer(server, "h77.big.example.");
      assertThat(h77).containsExactly("h77.big.example. 3600 A 10.0.0.77");
      assertThat(answer(server, "h77.big.example.")).isEqualTo(h77); // now prepared
      assertThat(answer(server, "alias.big.example."))
          .contains("www.small.example. 300 A 10.9.0.1");
      assertThat(answer(server, "alias.big.example."))
          .contains("www.small.example. 300 A 10.9.0.1");
      AuthoritativeZone bigBefore = server.zones().zone(Name.fromString("big.example."));

      writeSmallZone(small, 2, "10.9.0.2");
      Files.setLastModifiedTime(small, FileTime.from(LONG_AGO.plusSeconds(60)));
      ZoneReloader.Outcome outcome = server.reload();

      assertThat(outcome.ok()).isTrue();
      assertThat(outcome.reread()).containsExactly(Name.fromString("small.example."));
      assertThat(outcome.changed()).extracting(z -> z.soa().getSerial()).containsExactly(2L);
      assertThat(server.zones().zone(Name.fromString("big.example."))).isSameAs(bigBefore);

      double before = replayed(server);
      assertThat(answer(server, "h77.big.example.")).isEqualTo(h77);
      assertThat(replayed(server))
          .as("the big zone's answer, prepared before the reload, replayed after it")
          .isEqualTo(before + 1);
      assertThat(answer(server, "www.small.example."))
          .containsExactly("www.small.example. 300 A 10.9.0.2");
      assertThat(answer(server, "alias.big.example."))
          .as("an alias into the changed zone is answered afresh")
          .contains("www.small.example. 300 A 10.9.0.2");
    }
  }

  @Test
  void aFileRewrittenWithinTheTickItWasReadInIsReadAgain() throws Exception {
    Path small = dir.resolve("small.example.zone");
    writeSmallZone(small, 1, "10.9.0.1"); // just now: its stamp is not settled
    FileTime written = Files.getLastModifiedTime(small);
    try (AuthoritativeServer server = TestDns.start("small.example.=" + small)) {
      assertThat(answer(server, "www.small.example."))
          .containsExactly("www.small.example. 300 A 10.9.0.1");
      // Same size, same inode, and (as within one clock tick) the same modification time.
      writeSmallZone(small, 2, "10.9.0.2");
      Files.setLastModifiedTime(small, written);

      assertThat(server.reload().reread()).containsExactly(Name.fromString("small.example."));
      assertThat(answer(server, "www.small.example."))
          .containsExactly("www.small.example. 300 A 10.9.0.2");
    }
  }
}
