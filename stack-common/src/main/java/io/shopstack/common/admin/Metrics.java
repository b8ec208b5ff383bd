package io.shopstack.common.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Creates a service's meter registry. Each service instance has its own (the local topology runs
 * many in one JVM), tagged with the instance name so scraped series never mix.
 */
public final class Metrics {
  private Metrics() {}

  public static PrometheusMeterRegistry registry(String instance) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("instance", instance);
    return registry;
  }
}
