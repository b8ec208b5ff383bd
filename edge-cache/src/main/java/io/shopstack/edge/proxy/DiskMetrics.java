package io.shopstack.edge.proxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.edge.cache.DiskTier;

/** What an operator watches of the disk tier: how full it is, how often it answers, failures. */
public final class DiskMetrics {
  private DiskMetrics() {}

  public static void register(MeterRegistry registry, DiskTier disk) {
    Gauge.builder("edge.disk.objects", disk, DiskTier::objects)
        .description("keys kept on disk")
        .register(registry);
    Gauge.builder("edge.disk.bytes", disk, DiskTier::bytes)
        .description("bytes of the files on disk")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("edge.disk.reads", disk, DiskTier::reads)
        .description("memory misses answered from disk")
        .register(registry);
    FunctionCounter.builder("edge.disk.failures", disk, DiskTier::failures)
        .description("files that could not be written or read (the object is then fetched again)")
        .register(registry);
    FunctionCounter.builder("edge.disk.writes.skipped", disk, DiskTier::skipped)
        .description("writes skipped because the disk was too far behind (kept in memory only)")
        .register(registry);
    FunctionCounter.builder("edge.disk.reads.skipped", disk, DiskTier::readsSkipped)
        .description("disk reads not queued because the readers were too far behind (to origin)")
        .register(registry);
  }
}
