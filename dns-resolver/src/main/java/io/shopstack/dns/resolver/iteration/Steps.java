package io.shopstack.dns.resolver.iteration;

import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** What a {@link Step} means, in the words the client app's trace prints. */
final class Steps {
  private Steps() {}

  static String describe(Step step) {
    if (step instanceof Step.Answer answer) {
      return "answer " + records(answer.rrsets());
    }
    if (step instanceof Step.Alias alias) {
      boolean renamed = alias.chain().stream().anyMatch(rrset -> rrset.getType() == Type.DNAME);
      return (renamed ? "DNAME, CNAME to " : "CNAME to ") + alias.target();
    }
    if (step instanceof Step.Negative negative) {
      String what =
          switch (negative.rcode()) {
            case Rcode.NXDOMAIN -> "NXDOMAIN ";
            case Rcode.YXDOMAIN -> "YXDOMAIN (DNAME result too long) ";
            default -> "NODATA ";
          };
      return what + negative.name();
    }
    if (step instanceof Step.Referral referral) {
      return "referral to "
          + referral.delegation().zone()
          + (referral.delegation().addresses().isEmpty() ? " (no glue)" : "");
    }
    return "failed: " + ((Step.Failure) step).reason();
  }

  private static String records(List<RRset> rrsets) {
    return rrsets.stream()
        .flatMap(rrset -> rrset.rrs(false).stream())
        .map(Steps::record)
        .collect(Collectors.joining(", "));
  }

  private static String record(Record r) {
    return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }
}
