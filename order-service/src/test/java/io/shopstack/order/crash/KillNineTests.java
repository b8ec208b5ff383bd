package io.shopstack.order.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** kill -9 of an instance on the default database, H2 in a file, in the middle of orders. */
class KillNineTests {

  @Test
  void everyAcknowledgedOrderSurvivesAKillDashNineOnH2() throws Exception {
    Path dir = Files.createTempDirectory("order-crash");
    // The default URL of order-service.yml, in a directory of its own. Without H2WritesEveryCommit
    // this lost 42 of 158 acknowledged orders.
    String url =
        "jdbc:h2:file:" + dir.resolve("orders") + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE";
    new CrashDuringOrders(url, "sa", dir).run();
  }
}
