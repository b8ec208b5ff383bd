package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shopstack.common.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLB process moves its start-up objects to the old generation once, so that young collections
 * under load do not copy them again each time (SlbMain.settleStartUpHeap). Checked from outside
 * with the JDK's {@code jstat}, as an operator would.
 */
class StartUpHeapTest {
  @TempDir Path dir;

  @Test
  void startUpObjectsAreInTheOldGenerationOnceListening() throws Exception {
    Path config = dir.resolve("slb.yml");
    try (var order1 = TcpBackends.namedEcho("order-1")) {
      Files.writeString(config, ConfigReloadTest.file("roundrobin", order1.hostPort()));
      try (SlbProcess slb = new SlbProcess(config)) {
        slb.awaitPort();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> slb.output().stream().anyMatch(l -> l.contains("start-up heap moved")));
        String jstat = Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
        var gc =
            ExternalCommand.run(Duration.ofSeconds(30), jstat, "-gc", String.valueOf(slb.pid()))
                .assertSuccess();
        List<String> lines = gc.output().lines().toList();
        List<String> names = Arrays.asList(lines.get(0).trim().split("\\s+"));
        String[] values = lines.get(1).trim().split("\\s+");
        double oldUsedKib = Double.parseDouble(values[names.indexOf("OU")]);
        int fullCollections = Integer.parseInt(values[names.indexOf("FGC")]);
        assertThat(fullCollections).as(gc.output()).isPositive();
        assertThat(oldUsedKib).as(gc.output()).isGreaterThan(1024);
      }
    }
  }
}
