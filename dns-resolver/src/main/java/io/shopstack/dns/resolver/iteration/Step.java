package io.shopstack.dns.resolver.iteration;

import io.shopstack.dns.resolver.delegation.Delegation;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;

/** What one authoritative server's response means for the name being resolved. */
sealed interface Step {
  /**
   * The records asked for, possibly after CNAMEs the same server was authoritative for; {@code
   * proof}: for a signed wildcard expansion, the NSEC/NSEC3 RRsets that show no closer name exists.
   */
  record Answer(List<RRset> rrsets, int ecsScope, List<RRset> proof) implements Step {
    Answer(List<RRset> rrsets, int ecsScope) {
      this(rrsets, ecsScope, List.of());
    }
  }

  /** A CNAME chain leading out of this server's zone: go on with {@code target}. */
  record Alias(List<RRset> chain, Name target, int ecsScope) implements Step {}

  /**
   * NXDOMAIN or NODATA for {@code name} (the end of {@code chain}), proven by {@code soa}, and in a
   * signed zone by {@code proof} (the SOA with its RRSIGs, NSEC or NSEC3 with theirs).
   */
  record Negative(
      List<RRset> chain, Name name, int rcode, SOARecord soa, List<RRset> proof, int ecsScope)
      implements Step {}

  /** "Ask these servers instead": a zone cut below the zone we asked. */
  record Referral(Delegation delegation) implements Step {}

  /**
   * No usable answer from this server (timeout, error rcode, lame); try the next one, unless {@code
   * giveUp}: no other server would fare better (we are out of upstream capacity).
   */
  record Failure(String reason, boolean giveUp) implements Step {
    Failure(String reason) {
      this(reason, false);
    }

    /** Whether asking another server is worth it. */
    boolean retryable() {
      return !giveUp;
    }
  }
}
