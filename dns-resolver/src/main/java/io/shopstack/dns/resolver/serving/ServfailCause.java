package io.shopstack.dns.resolver.serving;

/**
 * The label of a SERVFAIL in {@code resolver_servfails{cause=...}}: what an operator needs to tell
 * "the CDN's servers are down" from "someone built a CNAME loop" at a glance.
 */
final class ServfailCause {
  private ServfailCause() {}

  static String of(String failure) {
    if (failure == null) {
      return "other";
    }
    if (failure.startsWith("overloaded")) {
      return "overload";
    }
    if (failure.contains("CNAME chain longer")) {
      return "cname-limit";
    }
    if (failure.contains("referrals")) {
      return "referral-limit";
    }
    if (failure.contains("out of time") || failure.contains("Timeout")) {
      return "timeout";
    }
    if (failure.contains("no server for")) {
      return "unreachable";
    }
    if (failure.contains("lame") || failure.contains("without usable servers")) {
      return "lame";
    }
    if (failure.contains("rcode")) {
      return "upstream-error";
    }
    return "other";
  }
}
