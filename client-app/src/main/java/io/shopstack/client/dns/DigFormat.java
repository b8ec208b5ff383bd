package io.shopstack.client.dns;

import java.util.StringJoiner;

/**
 * Prints a lookup the way {@code dig} does, so that anyone who has debugged DNS reads the journey
 * without a legend: status and flags, the question, the answer section, then the query time and who
 * was asked from where.
 */
public final class DigFormat {
  private DigFormat() {}

  public static String format(DnsLookup lookup) {
    StringJoiner out = new StringJoiner("\n");
    out.add(";; ->>HEADER<<- opcode: QUERY, status: " + lookup.rcode());
    out.add(";; flags: %s; ANSWER: %d".formatted(lookup.flags(), lookup.answers().size()));
    out.add(";; QUESTION SECTION:");
    out.add(";%-23s        IN  %s".formatted(lookup.question(), lookup.type()));
    if (!lookup.answers().isEmpty()) {
      out.add(";; ANSWER SECTION:");
      lookup.answers().forEach(record -> out.add(record.toDigLine()));
    }
    out.add(";; Query time: %d msec".formatted(lookup.took().toMillis()));
    out.add(
        ";; SERVER: %s#%d (%s)  FROM: %s#%d"
            .formatted(
                lookup.server().getAddress().getHostAddress(),
                lookup.server().getPort(),
                lookup.transport(),
                lookup.source().getAddress().getHostAddress(),
                lookup.source().getPort()));
    return out.toString();
  }
}
