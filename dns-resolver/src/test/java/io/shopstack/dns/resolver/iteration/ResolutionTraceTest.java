package io.shopstack.dns.resolver.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.admin.Metrics;
import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.testing.Curl;
import io.shopstack.dns.resolver.ResolverConfig;
import io.shopstack.dns.resolver.ResolverServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trace the client app prints, fetched as it fetches it: over HTTP from the admin port, after a
 * real query from a phone in the north.
 */
class ResolutionTraceTest {
  private static final String RESOLVER = "127.153.0.53";

  private FixtureInternet internet;
  private ResolverServer resolver;

  @BeforeEach
  void start() throws Exception {
    internet = new FixtureInternet();
    ResolverConfig config =
        ConfigLoader.load(
            ResolverConfig.class,
            "classpath:dns-resolver.yml",
            Map.of(
                "SHOP_INSTANCE", "resolver-trace",
                "SHOP_BIND", RESOLVER,
                "SHOP_DNS_PORT", "" + internet.port(),
                "SHOP_ADMIN_PORT", "0",
                "SHOP_NET", "127"));
    ResolverConfig pointed =
        new ResolverConfig(
            config.instance(),
            config.bind(),
            0,
            config.sourceAddress(),
            0,
            List.of(FixtureInternet.ROOT),
            internet.port(),
            config.allow(),
            config.clientQueriesPerSecond(),
            config.ecs(),
            config.limits(),
            config.hardening(),
            config.cache(),
            config.tcp(),
            config.shutdownSeconds(),
            config.transport());
    resolver =
        new ResolverServer(pointed, Metrics.registry("resolver-trace"), InstantSource.system())
            .start();
  }

  @AfterEach
  void stop() {
    resolver.close();
    internet.close();
  }

  private void ask(String name) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(RESOLVER, resolver.dnsPort()));
    client.setLocalAddress(InetAddress.getByName("127.1.1.10"));
    client.setTimeout(Duration.ofSeconds(6));
    client.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  private Curl.Response trace(String query) {
    return Curl.run("http://" + RESOLVER + ":" + resolver.adminPort() + "/trace" + query);
  }

  @Test
  void traceOfStaticShowsRootTldShopCnameTldCdn() throws Exception {
    ask("static.shop.example.");

    Curl.Response response = trace("?name=static.shop.example&type=A");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).startsWith("application/json");
    JsonNode trace = JsonMapper.builder().build().readTree(response.body());
    assertThat(trace.get("name").asString()).isEqualTo("static.shop.example.");
    assertThat(trace.get("rcode").asString()).isEqualTo("NOERROR");
    List<String> steps = new ArrayList<>();
    for (JsonNode step : trace.get("steps")) {
      steps.add(
          step.get("server").asString()
              + " "
              + step.get("question").asString()
              + " -> "
              + step.get("outcome").asString()
              + (step.get("ecsSent").asBoolean() ? " [ECS]" : ""));
      assertThat(step.get("rttMillis").asLong()).isNotNegative();
    }
    assertThat(steps)
        .containsExactly(
            "127.153.0.2 example. A -> referral to example.",
            "127.153.0.3 shop.example. A -> referral to shop.example.",
            "127.153.0.4 static.shop.example. A -> CNAME to shop.cdn.example.",
            "127.153.0.3 cdn.example. A -> referral to cdn.example.",
            "127.153.0.5 shop.cdn.example. A -> answer shop.cdn.example. A 127.28.1.20 [ECS]");
  }

  @Test
  void prometheusShowsTheResolutionHistogram() throws Exception {
    ask("www.shop.example.");

    Curl.Response metrics =
        Curl.run("http://" + RESOLVER + ":" + resolver.adminPort() + "/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("resolver_resolution_seconds_bucket{instance=\"resolver-trace\",le=\"+Inf\"} 1")
        .contains("resolver_resolution_seconds_count{instance=\"resolver-trace\"} 1")
        .contains("resolver_upstream_queries_total{instance=\"resolver-trace\"} 3");
  }

  @Test
  void answersFromTheCacheKeepTheIterationThatFilledIt() throws Exception {
    ask("www.shop.example.");
    ask("www.shop.example.");

    JsonNode trace = JsonMapper.builder().build().readTree(trace("?name=www.shop.example").body());
    assertThat(trace.get("steps")).hasSize(3);
  }

  @Test
  void unknownNamesAndMissingParametersSayWhatIsWrong() {
    assertThat(trace("?name=never.asked.example").status()).isEqualTo(404);
    assertThat(trace("").status()).isEqualTo(400);
    assertThat(trace("?name=x.example&type=NOPE").status()).isEqualTo(400);
  }
}
