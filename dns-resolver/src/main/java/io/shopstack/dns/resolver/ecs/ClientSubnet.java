package io.shopstack.dns.resolver.ecs;

import io.shopstack.dns.net.AddressBlock;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The client location this resolver passes on to authoritative servers (RFC 7871 7.1.2), so the
 * CDN's GSLB can pick the edge nearest to the phone rather than to the resolver.
 *
 * <p>A client that sends its own ECS option is taken at its word, shortened to our maximum; one
 * that sends none is located by its source address; one that sends source prefix 0 has asked not to
 * be located ({@link #optedOut()}), and then nothing about it is forwarded.
 */
public record ClientSubnet(AddressBlock source, ClientSubnetOption clientOption) {

  /** Works out what to forward for {@code query} from {@code client}. */
  public static ClientSubnet of(
      Message query, InetAddress client, int maxIpv4Prefix, int maxIpv6Prefix) {
    ClientSubnetOption sent = optionIn(query);
    if (sent == null) {
      return new ClientSubnet(
          AddressBlock.of(client, maxPrefix(client, maxIpv4Prefix, maxIpv6Prefix)), null);
    }
    if (sent.getSourcePrefixLength() == 0) {
      return new ClientSubnet(null, sent);
    }
    InetAddress address = sent.getAddress();
    int prefix =
        Math.min(sent.getSourcePrefixLength(), maxPrefix(address, maxIpv4Prefix, maxIpv6Prefix));
    return new ClientSubnet(AddressBlock.of(address, prefix), sent);
  }

  /** A resolver-internal lookup (or ECS switched off): nobody's location is sent. */
  public static ClientSubnet none() {
    return new ClientSubnet(null, null);
  }

  public boolean optedOut() {
    return source == null;
  }

  /** The option for an outgoing query, or null when nothing may be forwarded. */
  public ClientSubnetOption outgoingOption() {
    return source == null ? null : new ClientSubnetOption(source.prefixLength(), source.network());
  }

  /** The option to echo to the client (RFC 7871 7.2.2), or null when the client sent none. */
  public ClientSubnetOption echo(int scopePrefix) {
    if (clientOption == null) {
      return null;
    }
    if (source == null) {
      return new ClientSubnetOption(0, 0, clientOption.getAddress());
    }
    return new ClientSubnetOption(
        source.prefixLength(), Math.min(scopePrefix, source.prefixLength()), source.network());
  }

  /** The ECS option of a message, or null. */
  public static ClientSubnetOption optionIn(Message message) {
    OPTRecord opt = message.getOPT();
    if (opt == null) {
      return null;
    }
    for (EDNSOption option : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
      if (option instanceof ClientSubnetOption subnet) {
        return subnet;
      }
    }
    return null;
  }

  private static int maxPrefix(InetAddress address, int maxIpv4Prefix, int maxIpv6Prefix) {
    return address instanceof Inet4Address ? maxIpv4Prefix : maxIpv6Prefix;
  }
}
