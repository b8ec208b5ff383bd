package io.shopstack.topology.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.shopstack.common.testing.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The interoperability check: a resolver we did not write, the real unbound, pointed at our
 * root server, resolves the journey's names by iterating through our referrals (root → {@code
 * example.} → {@code shop.example.}, then the CNAME into {@code cdn.example.}'s GSLB). Run once
 * with classic full-name queries and once with QNAME minimisation (RFC 9156, unbound's default),
 * which asks our servers for each ancestor name on the way down. Needs root for port 53, as CI runs
 * it; without root it fails rather than silently proving nothing.
 */
class UnboundInteropTest {
  private static final Duration TOOL_LIMIT = Duration.ofSeconds(30);

  enum QnameMinimisation {
    OFF,
    ON
  }

  @TempDir static Path dir;
  private static JourneyNameServers servers;
  private static final Map<QnameMinimisation, UnboundResolver> resolvers =
      new EnumMap<>(QnameMinimisation.class);

  @BeforeAll
  static void start() throws Exception {
    String uid = ExternalCommand.run(TOOL_LIMIT, "id", "-u").output().trim();
    if (!"0".equals(uid)) {
      fail(
          "UnboundInteropTest must run as root (uid "
              + uid
              + "): unbound queries port 53 of the servers it learns from glue, and only root"
              + " may bind 53 on 127.28.0.2-5. CI runs as root; run `sudo ./mvnw -pl local-topology"
              + " test` locally.");
    }
    servers = new JourneyNameServers().start();
    for (QnameMinimisation mode : QnameMinimisation.values()) {
      UnboundResolver resolver =
          new UnboundResolver(
                  dir.resolve("unbound-qmin-" + mode.name().toLowerCase()),
                  mode == QnameMinimisation.ON)
              .writeConfig();
      resolvers.put(mode, resolver);
      ExternalCommand.Result check =
          ExternalCommand.run(TOOL_LIMIT, "unbound-checkconf", resolver.config().toString());
      assertThat(check.exitCode()).as("unbound-checkconf: %s", check.output()).isZero();
      resolver.start();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (UnboundResolver resolver : resolvers.values()) {
      resolver.close();
    }
    if (servers != null) {
      servers.close();
    }
  }

  private static String dig(QnameMinimisation mode, String name, String type) throws Exception {
    UnboundResolver resolver = resolvers.get(mode);
    String out =
        ExternalCommand.run(
                TOOL_LIMIT,
                "dig",
                "@127.0.0.1",
                "-p",
                String.valueOf(resolver.port()),
                "+tries=1",
                "+time=10",
                name,
                type)
            .output();
    // On failure, show what unbound said while iterating as well as dig's view.
    return out + "\n;; unbound log:\n" + resolver.log();
  }

  @ParameterizedTest
  @EnumSource(QnameMinimisation.class)
  void wwwResolvesToTheShopsVirtualIp(QnameMinimisation mode) throws Exception {
    assertThat(dig(mode, "www.shop.example", "A"))
        .contains("status: NOERROR")
        .containsPattern("flags: qr rd ra;")
        .containsPattern("(?m)^www\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.0\\.80$");
  }

  @ParameterizedTest
  @EnumSource(QnameMinimisation.class)
  void staticFollowsTheCnameIntoTheCdnsGslb(QnameMinimisation mode) throws Exception {
    assertThat(dig(mode, "static.shop.example", "A"))
        .contains("status: NOERROR")
        .containsPattern(
            "(?m)^static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.$")
        // unbound sends no client subnet, so the GSLB places it by its own address (127.0.0.1,
        // in no region): one of the two edges, whichever region's turn it is.
        .containsPattern(
            "(?m)^shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.[12]\\.20$");
  }

  @ParameterizedTest
  @EnumSource(QnameMinimisation.class)
  void inZoneCnameIsChasedToTheVip(QnameMinimisation mode) throws Exception {
    assertThat(dig(mode, "m.shop.example", "A"))
        .contains("status: NOERROR")
        .containsPattern(
            "(?m)^m\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+www\\.shop\\.example\\.$")
        .containsPattern("(?m)^www\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.28\\.0\\.80$");
  }

  @ParameterizedTest
  @EnumSource(QnameMinimisation.class)
  void missingNameIsNxdomainWithTheShopsSoa(QnameMinimisation mode) throws Exception {
    assertThat(dig(mode, "nope.shop.example", "A"))
        .contains("status: NXDOMAIN")
        .containsPattern("(?m)^shop\\.example\\.\\s+\\d+\\s+IN\\s+SOA\\s+ns1\\.shop\\.example\\.");
  }

  @ParameterizedTest
  @EnumSource(QnameMinimisation.class)
  void existingNameWithoutTheTypeIsNodata(QnameMinimisation mode) throws Exception {
    String out = dig(mode, "www.shop.example", "AAAA");
    assertThat(out)
        .contains("status: NOERROR")
        .contains("ANSWER: 0,")
        .containsPattern("(?m)^shop\\.example\\.\\s+\\d+\\s+IN\\s+SOA\\s+ns1\\.shop\\.example\\.");
  }
}
