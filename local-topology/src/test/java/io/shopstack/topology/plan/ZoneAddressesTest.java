package io.shopstack.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.config.ConfigLoader;
import io.shopstack.common.config.Placeholders;
import io.shopstack.dns.authoritative.AuthoritativeConfig;
import io.shopstack.dns.cdn.CdnDnsConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The zone files are templates of the same address plan: every A record they serve, read with each
 * mode's variables, is the address the table gives the instance of that name.
 */
class ZoneAddressesTest {
  private final Topology topology = Topology.load();

  /** The names the zones publish, and which instance each one is. */
  private static final Map<String, String> NAMED =
      Map.of(
          "a.root-servers.net.", "dns-root",
          "ns1.example.", "dns-tld",
          "ns1.shop.example.", "dns-shop",
          "ns1.cdn.example.", "dns-cdn",
          "www.shop.example.", "slb");

  @Test
  void everyAddressInTheZonesIsTheTablesAddressOfThatName() throws Exception {
    for (boolean local : new boolean[] {true, false}) {
      Map<String, String> served = new TreeMap<>();
      for (Instance i : topology.instances()) {
        String zones = zonesOf(i, local);
        if (zones != null) {
          served.putAll(addressRecords(zones, local ? "127" : "172"));
        }
      }
      Map<String, String> expected = new TreeMap<>();
      NAMED.forEach(
          (name, instance) -> {
            String address = topology.instance(instance).addresses().get("backbone");
            expected.put(name, local ? Topology.local(address) : address);
          });
      assertThat(served).as(local ? "local zones" : "docker zones").isEqualTo(expected);
    }
  }

  private String zonesOf(Instance i, boolean local) {
    Map<String, String> vars = local ? topology.localEnv(i) : topology.dockerEnv(i);
    String file = "classpath:" + i.module() + ".yml";
    if ("dns-authoritative".equals(i.module())) {
      return ConfigLoader.load(AuthoritativeConfig.class, file, vars).zones();
    }
    if ("dns-cdn".equals(i.module())) {
      return ConfigLoader.load(CdnDnsConfig.class, file, vars).server().zones();
    }
    return null;
  }

  /** Owner name to address of every A record in an {@code origin=location,...} list. */
  private static Map<String, String> addressRecords(String zones, String net) throws Exception {
    Map<String, String> found = new TreeMap<>();
    for (String entry : zones.split(",")) {
      String[] originAndLocation = entry.trim().split("=", 2);
      String text =
          Placeholders.expand(ConfigLoader.readText(originAndLocation[1]), Map.of("SHOP_NET", net));
      try (Master zone =
          new Master(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
              Name.fromString(originAndLocation[0]))) {
        for (Record r; (r = zone.nextRecord()) != null; ) {
          if (r instanceof ARecord a) {
            found.put(a.getName().toString(), a.getAddress().getHostAddress());
          }
        }
      }
    }
    return found;
  }
}
