package io.shopstack.dns.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.MetricsScrape;
import io.shopstack.dns.server.Reply;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The GSLB's fast path against its full path, byte for byte, over real sockets: two servers from
 * the same dns-cdn.yml, one of them with {@code gslb.fastPath: false}, which keeps every query on
 * the full path. Every query goes to both in the same order (so the turns of clients in no region
 * match), from north, south and regionless source addresses, over UDP and TCP, with and without
 * EDNS, DO and Client Subnets of several lengths, in any letter case; and again after each health
 * change (drain, fail-open, undrain), which must reach the fast path's prepared plans at once. A
 * third server has response rate limiting on: its answers keep the fast path, and over the rate
 * they turn into the slip the full path makes.
 */
class GslbFastPathTest {
  private static final HexFormat HEX = HexFormat.of();
  private static CdnDnsServer fast;
  private static CdnDnsServer full;
  private static CdnDnsServer limited;

  /**
   * The shipped dns-cdn.yml with the fast path on or off, and RRL at {@code rrl} answers per second
   * (0: off), every answer over it slipped.
   */
  private static CdnDnsServer server(String name, boolean fastPath, int rrl) throws Exception {
    Path file = Files.createTempFile(name, ".yml");
    Files.writeString(
        file,
        ConfigLoader.readText("classpath:dns-cdn.yml")
            .replace(
                "server:\n", "server:\n  rrl:\n    responsesPerSecond: " + rrl + "\n    slip: 1\n")
            .replace("fastPath: ${SHOP_GSLB_FAST_PATH:-true}", "fastPath: " + fastPath));
    try {
      return new CdnDnsServer(
              ConfigLoader.load(
                  CdnDnsConfig.class,
                  file.toString(),
                  Map.of(
                      "SHOP_INSTANCE", name,
                      "SHOP_BIND", "127.0.0.1",
                      "SHOP_DNS_PORT", "0",
                      "SHOP_ADMIN_PORT", "0",
                      "SHOP_GSLB_CHECK_MILLIS", "0")))
          .start();
    } finally {
      Files.delete(file);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    fast = server("gslb-fast", true, 0);
    full = server("gslb-full", false, 0);
    limited = server("gslb-limited", true, 1);
  }

  @AfterAll
  static void stop() {
    fast.close();
    full.close();
    limited.close();
  }

  private static List<byte[]> queries() throws Exception {
    List<byte[]> queries = new ArrayList<>();
    String[] subnets = {
      null,
      "127.28.1.0/24",
      "127.28.2.0/24",
      "127.28.1.10/32",
      "127.28.0.0/16",
      "10.0.0.0/8",
      "127.28.2.128/25",
      "127.28.0.0/23",
      "0.0.0.0/1"
    };
    int id = 1;
    for (String name : List.of("shop.cdn.example.", "ShOp.CDN.Example.")) {
      for (String subnet : subnets) {
        for (int edns = 0; edns < 3; edns++) {
          if (subnet != null && edns == 0) {
            continue; // a client subnet needs an OPT
          }
          Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1));
          q.getHeader().setID(id++);
          if (id % 2 == 0) {
            q.getHeader().unsetFlag(Flags.RD);
          }
          if (edns > 0) {
            List<EDNSOption> options = new ArrayList<>();
            if (subnet != null) {
              String[] parts = subnet.split("/");
              options.add(
                  new ClientSubnetOption(
                      Integer.parseInt(parts[1]), InetAddress.getByName(parts[0])));
            }
            int flags = edns == 2 ? ExtendedFlags.DO : 0;
            q.addRecord(new OPTRecord(1232, 0, 0, flags, options), Section.ADDITIONAL);
          }
          queries.add(q.toWire());
        }
      }
    }
    return queries;
  }

  private static byte[] overUdp(int port, String from, byte[] query) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(2000);
      socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
      socket.receive(reply);
      return Arrays.copyOf(reply.getData(), reply.getLength());
    }
  }

  private static byte[] overTcp(int port, String from, byte[] query) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(2000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }

  /** Every query from every client over both transports: both servers answer the same bytes. */
  private static int compareAll(String state) throws Exception {
    int compared = 0;
    for (String from : List.of("127.28.1.10", "127.28.2.10", "127.0.0.1")) {
      for (byte[] query : queries()) {
        for (boolean tcp : List.of(false, true)) {
          byte[] a =
              tcp ? overTcp(fast.dnsPort(), from, query) : overUdp(fast.dnsPort(), from, query);
          byte[] b =
              tcp ? overTcp(full.dnsPort(), from, query) : overUdp(full.dnsPort(), from, query);
          assertThat(HEX.formatHex(a))
              .as(
                  "%s: %s from %s over %s",
                  state, new Message(query).getQuestion(), from, tcp ? "TCP" : "UDP")
              .isEqualTo(HEX.formatHex(b));
          compared++;
        }
      }
    }
    return compared;
  }

  private static void admin(String path) {
    for (CdnDnsServer server : List.of(fast, full)) {
      assertThat(Curl.run("-X", "POST", "http://127.0.0.1:" + server.adminPort() + path).status())
          .isEqualTo(200);
    }
  }

  private static double prepared(CdnDnsServer server) {
    return MetricsScrape.of(server.adminPort()).value("gslb_prepared_answers_total", Map.of());
  }

  @Test
  void everyAnswerOfTheFastPathIsTheFullPathsByteForByteThroughHealthChanges() throws Exception {
    int compared = compareAll("all up");
    admin("/edges/edge-north/drain");
    compared += compareAll("north drained");
    admin("/edges/edge-south/drain");
    compared += compareAll("every edge drained: fail open");
    admin("/edges/edge-north/undrain");
    admin("/edges/edge-south/undrain");
    compared += compareAll("both back");

    assertThat(prepared(full)).as("the reference took the full path").isZero();
    assertThat(prepared(fast)).as("answers that took the fast path").isEqualTo(compared);
  }

  /** What the full path sends a query that RRL slips: header and question, TC set, nothing else. */
  private static byte[] fullPathSlip(byte[] query) throws Exception {
    Message slip = Reply.to(new Message(query));
    slip.getHeader().setFlag(Flags.TC);
    return slip.toWire();
  }

  /**
   * RRL on keeps the fast path: each answer is charged to the client's network, sent from the
   * prepared plan while under the rate (one a second here) and slipped as the full path would above
   * it; over TCP nothing is limited.
   */
  @Test
  void rateLimitingKeepsTheFastPathAndSlipsAsTheFullPathDoes() throws Exception {
    int sent = 0;
    int slips = 0;
    for (byte[] query : queries()) {
      byte[] answer = overUdp(limited.dnsPort(), "127.28.1.10", query);
      if (HEX.formatHex(answer).equals(HEX.formatHex(fullPathSlip(query)))) {
        slips++;
      } else {
        assertThat(HEX.formatHex(answer))
            .as("%s, not slipped", new Message(query).getQuestion())
            .isEqualTo(HEX.formatHex(overUdp(full.dnsPort(), "127.28.1.10", query)));
        sent++;
      }
    }
    assertThat(sent).as("the first answer of the burst is sent").isPositive();
    assertThat(slips).as("a burst of %d at one a second", queries().size()).isGreaterThan(sent);
    MetricsScrape metrics = MetricsScrape.of(limited.adminPort());
    assertThat(metrics.value("dns_rrl_slipped_total", Map.of())).isEqualTo(slips);
    assertThat(metrics.value("gslb_prepared_answers_total", Map.of()))
        .as("answers of the fast path, slipped ones included: they were made, then limited")
        .isEqualTo(sent + slips);

    for (byte[] query : queries()) {
      assertThat(HEX.formatHex(overTcp(limited.dnsPort(), "127.28.1.10", query)))
          .as("over TCP, never limited")
          .isEqualTo(HEX.formatHex(overTcp(full.dnsPort(), "127.28.1.10", query)));
    }
    assertThat(MetricsScrape.of(limited.adminPort()).value("dns_rrl_slipped_total", Map.of()))
        .isEqualTo(slips);
  }
}
