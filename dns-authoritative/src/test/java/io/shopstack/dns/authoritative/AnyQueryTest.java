package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 8482: ANY gets one RRset, not the whole node, so it cannot be used for amplification. */
class AnyQueryTest {
  private static final Path DIG = Path.of("/usr/bin/dig");
  private static AuthoritativeServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestDns.start(
            "shop.example.=classpath:zones/shop.example.zone,lab.test.=classpath:zones/lab.test.zone");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String dig(String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = DIG.toString();
    command[1] = "@127.0.0.1";
    command[2] = "-p";
    command[3] = String.valueOf(server.dnsPort());
    command[4] = "+tries=1";
    System.arraycopy(args, 0, command, 5, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("dig finished").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void digAnyAtTheApexGetsOneRrsetWithAuthority() throws Exception {
    assumeTrue(Files.isExecutable(DIG), "dig is installed");
    // The apex holds SOA, NS, MX, TXT and CAA: a classic ANY answer would carry all five.
    String out = dig("+norecurse", "shop.example", "ANY");
    assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa;");
    assertThat(out).contains("ANSWER: 1,");
    assertThat(out)
        .containsPattern("shop\\.example\\.\\s+3600\\s+IN\\s+SOA\\s+ns1\\.shop\\.example\\.");
  }

  @Test
  void anyOverTcpIsJustAsMinimal() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), true, "shop.example.", Type.ANY);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void anyAtAnEmptyNonTerminalGetsTheSynthesizedHinfo() throws Exception {
    assumeTrue(Files.isExecutable(DIG), "dig is installed");
    String out = dig("b.deep.lab.test", "ANY");
    assertThat(out).contains("status: NOERROR").contains("ANSWER: 1,");
    assertThat(out)
        .containsPattern("b\\.deep\\.lab\\.test\\.\\s+60\\s+IN\\s+HINFO\\s+\"RFC8482\" \"\"");
  }

  @Test
  void anyAtAnAliasIsTheAlias() throws Exception {
    Message m = TestDns.ask(server.dnsPort(), false, "m.shop.example.", Type.ANY);
    assertThat(TestDns.section(m, Section.ANSWER))
        .containsExactly("m.shop.example. 300 CNAME www.shop.example.");
  }
}
