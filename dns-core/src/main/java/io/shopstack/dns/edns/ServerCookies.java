package io.shopstack.dns.edns;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.OPTRecord;

/**
 * DNS cookies (RFC 7873) as BIND sends them: a client that offers a client cookie gets it back with
 * a server cookie in the RFC 9018 format (version 1, three reserved bytes, a timestamp, and a
 * SipHash-2-4 of all that with the client cookie and address). A resolver that sees the same server
 * cookie again knows its answers come from us and not from an off-path spoofer. The key is drawn
 * when the server starts: nothing here checks cookies across servers, so there is nothing to share.
 */
public final class ServerCookies {
  public static final int CLIENT_COOKIE_BYTES = 8;
  public static final int SERVER_COOKIE_BYTES = 16;

  /** The whole option on the wire: code, length, client cookie, server cookie. */
  public static final int OPTION_BYTES = 4 + CLIENT_COOKIE_BYTES + SERVER_COOKIE_BYTES;

  private static final int VERSION = 1;

  private final long k0;
  private final long k1;
  private final LongSupplier epochSeconds;

  public ServerCookies() {
    this(new SecureRandom(), () -> System.currentTimeMillis() / 1000);
  }

  ServerCookies(SecureRandom random, LongSupplier epochSeconds) {
    this.k0 = random.nextLong();
    this.k1 = random.nextLong();
    this.epochSeconds = epochSeconds;
  }

  /** The client cookie a query's OPT carries, or null. */
  public static byte[] clientCookie(OPTRecord opt) {
    if (opt == null) {
      return null;
    }
    List<EDNSOption> cookies = opt.getOptions(EDNSOption.Code.COOKIE);
    return cookies.isEmpty() ? null : ((CookieOption) cookies.get(0)).getClientCookie();
  }

  /** RFC 9018 4.2: the server cookie for this client cookie and client address, made now. */
  public byte[] serverCookie(byte[] clientCookie, InetAddress client) {
    long now = epochSeconds.getAsLong();
    byte[] address = client.getAddress();
    byte[] input = new byte[CLIENT_COOKIE_BYTES + 8 + address.length];
    System.arraycopy(clientCookie, 0, input, 0, CLIENT_COOKIE_BYTES);
    input[CLIENT_COOKIE_BYTES] = VERSION; // then three reserved zero bytes
    for (int i = 0; i < 4; i++) {
      input[CLIENT_COOKIE_BYTES + 4 + i] = (byte) (now >>> (24 - 8 * i));
    }
    System.arraycopy(address, 0, input, CLIENT_COOKIE_BYTES + 8, address.length);
    long hash = SipHash.hash(k0, k1, input);
    byte[] cookie = new byte[SERVER_COOKIE_BYTES];
    System.arraycopy(input, CLIENT_COOKIE_BYTES, cookie, 0, 8);
    for (int i = 0; i < 8; i++) {
      cookie[8 + i] = (byte) (hash >>> (8 * i)); // SipHash's output is little-endian
    }
    return cookie;
  }

  /** {@code response}'s OPT with our cookie option added. */
  public OPTRecord withCookie(OPTRecord response, byte[] clientCookie, InetAddress client) {
    List<EDNSOption> options = new java.util.ArrayList<>(response.getOptions());
    options.add(new CookieOption(clientCookie, serverCookie(clientCookie, client)));
    return new OPTRecord(
        response.getPayloadSize(),
        response.getExtendedRcode(),
        response.getVersion(),
        response.getFlags(),
        options);
  }
}
