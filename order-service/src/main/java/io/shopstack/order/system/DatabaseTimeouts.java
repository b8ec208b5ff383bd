package io.shopstack.order.system;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Bounds every wait on the database by {@code shop.database-timeout} (2 s by default), so that with
 * PostgreSQL down an order fails within that time with 503 ({@link DatabaseOutage}) instead of
 * hanging for Hikari's default 30 s.
 *
 * <p>Hikari's connection timeout bounds waiting for a connection from the pool, whatever the driver
 * does meanwhile. The PostgreSQL driver also gets connect and socket timeouts, so a query in flight
 * on a connection whose server vanished ends too. They are set only for PostgreSQL URLs: H2 refuses
 * connection settings it does not know.
 */
@Component
class DatabaseTimeouts implements BeanPostProcessor {

  private final Duration timeout;

  DatabaseTimeouts(@Value("${shop.database-timeout:2s}") Duration timeout) {
    if (timeout.toMillis() < 500) {
      throw new IllegalArgumentException("shop.database-timeout must be at least 500ms");
    }
    this.timeout = timeout;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool) {
      pool.setConnectionTimeout(timeout.toMillis());
      // Checking a pooled connection must leave time to open a fresh one within the timeout.
      pool.setValidationTimeout(timeout.toMillis() / 2);
      String url = pool.getJdbcUrl();
      if (url != null && url.startsWith("jdbc:postgresql:")) {
        String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
        pool.addDataSourceProperty("connectTimeout", seconds);
        pool.addDataSourceProperty("loginTimeout", seconds);
        // Our statements take milliseconds; a silent server must not hold a request longer.
        pool.addDataSourceProperty("socketTimeout", seconds);
      }
    }
    return bean;
  }
}
