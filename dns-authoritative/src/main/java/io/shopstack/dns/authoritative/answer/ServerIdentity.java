package io.shopstack.dns.authoritative.answer;

import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The CHAOS-class names operators ask a server about itself (RFC 4892 {@code id.server}, and the
 * older {@code hostname.bind}, {@code version.bind}, {@code version.server}): which instance of an
 * anycast or load-balanced set answered, and what software it runs. Answered as NSD answers them:
 * one CH TXT record, TTL 0, without AA (the names belong to no zone); any other CHAOS name stays
 * REFUSED.
 */
final class ServerIdentity {
  static final String SOFTWARE = "shop-stack dns-authoritative";

  private final Map<Name, String> texts;

  /**
   * @param identity what {@code id.server} and {@code hostname.bind} say: the instance's name
   */
  ServerIdentity(String identity) {
    this.texts =
        Map.of(
            Name.fromConstantString("id.server."), identity,
            Name.fromConstantString("hostname.bind."), identity,
            Name.fromConstantString("version.server."), SOFTWARE,
            Name.fromConstantString("version.bind."), SOFTWARE);
  }

  /** Adds the answer to {@code response} and returns true when the question is one of ours. */
  boolean answer(Message response, Name name, int type) {
    String text = texts.get(name);
    if (text == null || (type != Type.TXT && type != Type.ANY)) {
      return false;
    }
    response.addRecord(new TXTRecord(name, DClass.CH, 0, text), Section.ANSWER);
    return true;
  }
}
