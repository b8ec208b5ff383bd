package io.shopstack.client.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One resource record of an answer section, in the words dig prints it: owner name (absolute, with
 * the trailing dot), TTL, class, type and rdata.
 */
public record AnswerRecord(String name, long ttl, String dnsClass, String type, String data) {

  static AnswerRecord of(Record record) {
    return new AnswerRecord(
        record.getName().toString(),
        record.getTTL(),
        DClass.string(record.getDClass()),
        Type.string(record.getType()),
        record.rdataToString());
  }

  /** The line dig would print in its ANSWER SECTION. */
  public String toDigLine() {
    return "%-24s %-6d %-3s %-6s %s".formatted(name, ttl, dnsClass, type, data);
  }
}
