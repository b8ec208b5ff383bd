package io.shopstack.order.postgres;

import io.shopstack.order.crash.CrashDuringOrders;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** kill -9 of an instance on PostgreSQL, Docker's database, in the middle of orders. */
class PostgresCrashTests {

  @Test
  void everyAcknowledgedOrderSurvivesAKillDashNineOnPostgres() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      new CrashDuringOrders(postgres.jdbcUrl(), "shop", Files.createTempDirectory("order-crash-pg"))
          .run();
    }
  }
}
