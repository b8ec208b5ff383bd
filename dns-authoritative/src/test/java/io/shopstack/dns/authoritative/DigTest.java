package io.shopstack.dns.authoritative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The judge we did not write: ISC's dig, reading our answers off the wire. */
class DigTest {
  private static final Path DIG = Path.of("/usr/bin/dig");
  private static AuthoritativeServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestDns.start("shop.example.=classpath:zones/shop.example.zone");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String dig(String... args) throws IOException, InterruptedException {
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
  void digSeesAnAuthoritativeAnswerWithEdns() throws Exception {
    assumeTrue(Files.isExecutable(DIG), "dig is installed");
    String out = dig("+norecurse", "www.shop.example", "A");
    assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa;");
    assertThat(out).contains("EDNS: version: 0, flags:; udp: 1232");
    assertThat(out)
        .containsPattern("www\\.shop\\.example\\.\\s+300\\s+IN\\s+A\\s+127\\.28\\.0\\.80");
  }

  @Test
  void digOverTcpSeesNxdomainWithTheSoa() throws Exception {
    assumeTrue(Files.isExecutable(DIG), "dig is installed");
    String out = dig("+tcp", "nope.shop.example", "A");
    assertThat(out).contains("status: NXDOMAIN").containsPattern("flags: qr aa rd;");
    assertThat(out)
        .contains("AUTHORITY SECTION")
        .containsPattern("shop\\.example\\.\\s+300\\s+IN\\s+SOA");
  }
}
