package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * DNSSEC as a non-validating resolver shows it, the way unbound without a trust anchor does: a
 * client that sets DO gets the RRSIGs the authority sent (on a cold answer and from the cache), DO
 * echoed and never AD; a client without DO gets none; CD is echoed. The authority is NSD, an
 * authoritative server we did not write, serving a zone signed with dnssec-signzone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnssecPassThroughTest {
  private static final String RESOLVER = "127.153.0.53";
  private static final String NSD = "127.153.0.12";

  private FixtureInternet internet;
  private NsdAuthority signed;
  private ResolverServer ours;

  @BeforeAll
  void start() throws Exception {
    internet = new FixtureInternet();
    signed = new NsdAuthority("signed.example.", NSD, internet.port());
    ours = internet.shippedResolver("resolver-dnssec", RESOLVER);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable running : new AutoCloseable[] {ours, signed, internet}) {
      if (running != null) {
        running.close();
      }
    }
  }

  private Message ask(String name, int type, boolean dnssecOk, boolean checkingDisabled)
      throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    if (checkingDisabled) {
      query.getHeader().setFlag(Flags.CD);
    }
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, ours.dnsPort()));
    client.setLocalAddress(InetAddress.getByName("127.0.0.1"));
    client.setTimeout(Duration.ofSeconds(6));
    return client.send(query);
  }

  private static List<String> answer(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .map(
            r ->
                r.getName()
                    + " "
                    + Type.string(r.getType())
                    + (r instanceof RRSIGRecord sig ? " " + Type.string(sig.getTypeCovered()) : ""))
        .toList();
  }

  private static boolean dnssecOkEchoed(Message response) {
    return (response.getOPT().getFlags() & ExtendedFlags.DO) != 0;
  }

  @Test
  void signaturesGoToClientsThatSetDo() throws Exception {
    for (int time = 1; time <= 2; time++) { // cold, then from the cache (the replayed encoding)
      Message response = ask("alias.signed.example.", Type.A, true, false);
      assertThat(answer(response))
          .as("answer %d", time)
          .containsExactly(
              "alias.signed.example. CNAME",
              "alias.signed.example. RRSIG CNAME",
              "www.signed.example. A",
              "www.signed.example. RRSIG A");
      assertThat(dnssecOkEchoed(response)).isTrue();
      assertThat(response.getHeader().getFlag(Flags.AD)).as("validated nothing").isFalse();
    }
    for (int time = 1; time <= 2; time++) {
      Message cached = ask("www.signed.example.", Type.A, true, false);
      assertThat(answer(cached))
          .containsExactly("www.signed.example. A", "www.signed.example. RRSIG A");
    }
  }

  private static List<String> authority(Message response) {
    return response.getSection(Section.AUTHORITY).stream()
        .map(
            r ->
                Type.string(r.getType())
                    + (r instanceof RRSIGRecord sig ? " " + Type.string(sig.getTypeCovered()) : ""))
        .sorted()
        .toList();
  }

  /**
   * NXDOMAIN and NODATA come with their NSEC proof and signatures for DO, the SOA alone without.
   */
  @Test
  void negativeAnswersCarryTheirProofForDo() throws Exception {
    for (String name : new String[] {"nosuch.signed.example.", "www.signed.example."}) {
      int type = name.startsWith("www") ? Type.TXT : Type.A;
      for (int time = 1; time <= 2; time++) {
        Message signedProof = ask(name, type, true, false);
        assertThat(authority(signedProof))
            .as("%s answer %d", name, time)
            .contains("SOA", "RRSIG SOA", "NSEC", "RRSIG NSEC");
        Message plain = ask(name, type, false, false);
        assertThat(authority(plain)).as("%s without DO", name).containsExactly("SOA");
        assertThat(plain.getRcode()).isEqualTo(signedProof.getRcode());
      }
    }
  }

  /** RFC 4035 3.1.3.3: a wildcard expansion comes with the NSEC that proves no closer name. */
  @Test
  void aWildcardExpansionCarriesItsProofForDo() throws Exception {
    for (int time = 1; time <= 2; time++) { // cold, then from the cache
      Message signedProof = ask("any.wild.signed.example.", Type.A, true, false);
      assertThat(answer(signedProof))
          .as("answer %d", time)
          .containsExactly("any.wild.signed.example. A", "any.wild.signed.example. RRSIG A");
      assertThat(authority(signedProof)).as("authority %d", time).contains("NSEC", "RRSIG NSEC");
      Message plain = ask("any.wild.signed.example.", Type.A, false, false);
      assertThat(answer(plain)).containsExactly("any.wild.signed.example. A");
      assertThat(authority(plain)).isEmpty();
    }
  }

  @Test
  void clientsWithoutDoGetNoSignatures() throws Exception {
    for (int time = 1; time <= 2; time++) {
      Message response = ask("www.signed.example.", Type.A, false, false);
      assertThat(answer(response)).containsExactly("www.signed.example. A");
      assertThat(dnssecOkEchoed(response)).isFalse();
    }
  }

  @Test
  void checkingDisabledIsEchoed() throws Exception {
    for (int time = 1; time <= 2; time++) {
      Message response = ask("www.signed.example.", Type.A, true, true);
      assertThat(response.getHeader().getFlag(Flags.CD)).isTrue();
      assertThat(answer(response))
          .containsExactly("www.signed.example. A", "www.signed.example. RRSIG A");
    }
    assertThat(ask("www.signed.example.", Type.A, false, false).getHeader().getFlag(Flags.CD))
        .isFalse();
  }
}
