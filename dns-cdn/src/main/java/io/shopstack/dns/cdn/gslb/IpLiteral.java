package io.shopstack.dns.cdn.gslb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses addresses from configuration, refusing host names: the GSLB must never resolve names. */
final class IpLiteral {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IpLiteral() {}

  static InetAddress parse(String text) {
    String t = text.trim();
    if (!IPV4.matcher(t).matches() && !t.contains(":")) {
      throw new IllegalArgumentException("'" + t + "' is not an IP address literal");
    }
    try {
      return InetAddress.getByName(t); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + t + "' is not an IP address: " + e.getMessage(), e);
    }
  }
}
