package io.shopstack.order.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The shop's own settings ({@code shop.*} in order-service.yml).
 *
 * @param instance the name this instance answers with in {@code X-Served-By} and stores with every
 *     order, e.g. {@code order-1}
 * @param staticBaseUrl where product pages point images: the CDN name {@code static.shop.example},
 *     never this instance, so the browser fetches pictures from the nearest edge
 * @param maxRequestBody the largest request body accepted; anything larger gets 413
 * @param drain how a graceful stop waits for the SLB to take this instance out ({@link
 *     DrainBeforeStop})
 * @param groupCommit how orders placed at the same moment share one commit
 */
@ConfigurationProperties("shop")
public record ShopProperties(
    String instance,
    String staticBaseUrl,
    DataSize maxRequestBody,
    Drain drain,
    CommitGroups groupCommit) {

  /**
   * @param probes health checks to answer "out of service" before the listener closes: the SLB's
   *     {@code fall}
   * @param quietTime no check for this long means nobody balances on this instance: stop at once
   * @param maxTime the longest a stop waits for the checks
   */
  public record Drain(int probes, Duration quietTime, Duration maxTime) {
    public Drain {
      probes = probes <= 0 ? 3 : probes;
      quietTime = quietTime == null ? Duration.ofSeconds(5) : quietTime;
      maxTime = maxTime == null ? Duration.ofSeconds(10) : maxTime;
    }
  }

  /**
   * @param maxBatch the most orders one commit holds; 1 (the default) turns group commit off: every
   *     order is stored at once, alone, in its own commit, with no queue and no limit on commits
   * @param batchesInFlight with groups on, commits running at once; an order arriving while that
   *     many run waits for one of them and then goes in the next group
   */
  public record CommitGroups(int maxBatch, int batchesInFlight) {
    public CommitGroups {
      maxBatch = maxBatch <= 0 ? 1 : maxBatch;
      batchesInFlight = batchesInFlight <= 0 ? 1 : batchesInFlight;
    }
  }

  public ShopProperties {
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("shop.instance must be set");
    }
    if (staticBaseUrl == null || staticBaseUrl.isBlank()) {
      throw new IllegalArgumentException("shop.static-base-url must be set");
    }
    staticBaseUrl = staticBaseUrl.replaceAll("/+$", "");
    maxRequestBody = maxRequestBody == null ? DataSize.ofKilobytes(64) : maxRequestBody;
    drain = drain == null ? new Drain(0, null, null) : drain;
    groupCommit = groupCommit == null ? new CommitGroups(0, 0) : groupCommit;
  }
}
