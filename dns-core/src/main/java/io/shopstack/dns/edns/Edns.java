package io.shopstack.dns.edns;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Address;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.OPTRecord;

/**
 * EDNS(0) as every DNS server of the stack speaks it (RFC 6891): our own OPT in every answer to a
 * query that had one, advertising our payload size; unknown options are never echoed (6.1.2); the
 * DO bit is copied (RFC 3225 3).
 */
public final class Edns {
  /**
   * The UDP payload size we advertise and honour: DNS flag day 2020's value, small enough that an
   * answer is never fragmented on any common path.
   */
  public static final int PAYLOAD_SIZE = 1232;

  private Edns() {}

  public static OPTRecord responseOpt(
      OPTRecord query, int payloadSize, int extendedRcode, List<EDNSOption> options) {
    int flags = query.getFlags() & ExtendedFlags.DO;
    return new OPTRecord(payloadSize, extendedRcode >>> 4, 0, flags, options);
  }

  /** The query's Client Subnet option, or null. */
  public static ClientSubnetOption clientSubnet(OPTRecord opt) {
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    return options.isEmpty() ? null : (ClientSubnetOption) options.get(0);
  }

  /** RFC 7871 7.2.1: FAMILY, SOURCE PREFIX-LENGTH and ADDRESS as received, our SCOPE added. */
  public static ClientSubnetOption echo(ClientSubnetOption query, int scopePrefix) {
    InetAddress masked = Address.truncate(query.getAddress(), query.getSourcePrefixLength());
    return new ClientSubnetOption(query.getSourcePrefixLength(), scopePrefix, masked);
  }
}
