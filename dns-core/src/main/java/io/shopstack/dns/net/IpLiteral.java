package io.shopstack.dns.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/**
 * Parses an IP address written in configuration, refusing host names. {@link InetAddress#getByName}
 * would quietly resolve a name (or a typo) through the JVM's resolver; a DNS server that consults
 * DNS to read its own config depends on itself, so only literals are accepted.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** Parses {@code 127.28.0.4} or {@code ::1}; anything else is rejected with the text named. */
  public static InetAddress parse(String text) {
    String literal = text.trim();
    try {
      return Address.getByAddress(literal); // dnsjava: literals only, never a lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + literal + "' is not an IP address literal", e);
    }
  }
}
