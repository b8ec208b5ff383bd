package io.shopstack.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Counters every DNS server exposes on /metrics: answers by type and rcode, garbage, TC. */
final class DnsServerMetrics {
  private final MeterRegistry registry;
  private final Counter malformed;
  private final Counter truncated;

  DnsServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.malformed = registry.counter("dns_malformed_queries");
    this.truncated = registry.counter("dns_truncated_answers");
  }

  void malformed() {
    malformed.increment();
  }

  void answered(Message response, boolean truncatedOnWire) {
    Record question = response.getQuestion();
    registry
        .counter(
            "dns_answers",
            "qtype",
            question == null ? "none" : Type.string(question.getType()),
            "rcode",
            Rcode.string(response.getRcode()))
        .increment();
    if (truncatedOnWire) {
      truncated.increment();
    }
  }
}
