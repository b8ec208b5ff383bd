package io.shopstack.dns.resolver.iteration;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * NSD (the Debian package), an authoritative server we did not write, serving one of the fixture
 * zone files on a loopback address and the fixture port: the judge of what an authority says about
 * records our own fixture does not know, such as DNAME. Fails when NSD is not installed
 * (docker/setup.sh installs it): a skipped interoperability test would pass in silence.
 */
final class NsdAuthority implements AutoCloseable {
  private static final String NSD = "/usr/sbin/nsd";

  private final Path work;
  private final Process nsd;

  NsdAuthority(String zoneName, String address, int port) throws Exception {
    if (!new File(NSD).canExecute()) {
      throw new IllegalStateException(NSD + " is not installed (apt-get install nsd)");
    }
    work = Files.createTempDirectory("nsd-fixture");
    try (InputStream zone = NsdAuthority.class.getResourceAsStream("/zones/" + zoneName + "zone")) {
      Files.copy(zone, work.resolve("zone"));
    }
    String conf =
        String.join(
            "\n",
            "server:",
            "  ip-address: " + address + "@" + port,
            "  server-count: 1",
            "  username: \"\"",
            "  chroot: \"\"",
            "  zonesdir: \"" + work + "\"",
            "  database: \"\"",
            "  zonelistfile: \"" + work.resolve("zone.list") + "\"",
            "  xfrdfile: \"" + work.resolve("xfrd.state") + "\"",
            "  pidfile: \"" + work.resolve("nsd.pid") + "\"",
            "  logfile: \"" + work.resolve("nsd.log") + "\"",
            // Debian's NSD rate-limits 200 qps per /24 otherwise; loopback is one /24.
            "  rrl-ratelimit: 0",
            "remote-control:",
            "  control-enable: no",
            "zone:",
            "  name: " + zoneName,
            "  zonefile: zone",
            "");
    Path file = work.resolve("nsd.conf");
    Files.writeString(file, conf);
    nsd =
        new ProcessBuilder(NSD, "-d", "-c", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("nsd.out").toFile())
            .start();
    Name origin = Name.fromString(zoneName);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> soaAnswered(address, port, origin));
  }

  private static boolean soaAnswered(String address, int port, Name origin) throws Exception {
    SimpleResolver client = new SimpleResolver(new InetSocketAddress(address, port));
    client.setTimeout(Duration.ofSeconds(1));
    Message response = client.send(Message.newQuery(Record.newRecord(origin, Type.SOA, DClass.IN)));
    return response.getHeader().getFlag(Flags.AA);
  }

  @Override
  public void close() throws Exception {
    nsd.destroy();
    nsd.waitFor();
    try (var files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
