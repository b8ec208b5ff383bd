package io.shopstack.dns.server;

import io.shopstack.dns.edns.Edns;
import io.shopstack.dns.edns.ServerCookies;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The edge between bytes and {@link Message}s, shared by UDP and TCP. Garbage that still has a
 * header gets FORMERR with the sender's ID (what BIND and NSD do); anything shorter than a header
 * cannot be answered at all and is dropped.
 */
final class WireFormat {
  static final int HEADER_LENGTH = 12;

  /** RFC 1035's limit for a UDP answer when the client does not speak EDNS. */
  static final int CLASSIC_UDP_LIMIT = 512;

  private WireFormat() {}

  /** A query parsed, or the reason it could not be. */
  record Parsed(Message query, String error) {}

  static Parsed parse(byte[] wire) {
    try {
      Message query = new Message(wire);
      if (query.getHeader().getFlag(Flags.QR)) {
        return new Parsed(null, "QR bit set: a response, not a query");
      }
      // dnsjava forgives a message that ends early when its TC bit is set, keeping the header's
      // counts; a query has no business being truncated, so counts must match what was there.
      for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
        if (query.getSection(section).size() != query.getHeader().getCount(section)) {
          return new Parsed(null, "message ends before the records its header counts");
        }
      }
      return new Parsed(query, null);
    } catch (IOException | RuntimeException e) {
      return new Parsed(null, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * FORMERR for an unparseable packet, or null when it must not be answered: too short to carry an
   * ID, or with the QR bit set. A response is never answered, as BIND and NSD do: answering one
   * could start two servers bouncing errors at each other for ever (one spoofed packet with the
   * other's source address is enough).
   */
  static byte[] formErr(byte[] wire) {
    if (wire.length < HEADER_LENGTH || (wire[2] & 0x80) != 0) {
      return null;
    }
    Header header = new Header(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
    header.setFlag(Flags.QR);
    int opcode = (wire[2] >> 3) & 0xf;
    header.setOpcode(opcode);
    if (opcode == Opcode.QUERY && (wire[2] & 0x01) != 0) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(Rcode.FORMERR);
    Message response = new Message();
    response.setHeader(header);
    return response.toWire();
  }

  /**
   * The answer to a query whose EDNS we cannot use, or null when it is fine. More than one OPT (RFC
   * 6891 6.1.1) or an OPT not owned by the root (6.1.2) is FORMERR, as NSD and BIND answer, without
   * an OPT of ours since theirs made no sense; an EDNS version other than 0 is BADVERS with our OPT
   * saying which version we speak (6.1.3).
   */
  static Message ednsRefusal(Message query, int payloadSize) {
    OPTRecord opt = null;
    for (Record record : query.getSection(Section.ADDITIONAL)) {
      if (record.getType() == Type.OPT) {
        if (opt != null || !Name.root.equals(record.getName())) {
          Message response = Reply.to(query);
          response.getHeader().setRcode(Rcode.FORMERR);
          return response;
        }
        opt = (OPTRecord) record;
      }
    }
    if (opt == null) {
      return null;
    }
    if (opt.getVersion() == 0) {
      ClientSubnetOption subnet = Edns.clientSubnet(opt);
      if (subnet != null && subnet.getScopePrefixLength() != 0) {
        // RFC 7871 6: SCOPE PREFIX-LENGTH MUST be 0 in queries; a query with another is malformed.
        Message response = Reply.to(query);
        response.getHeader().setRcode(Rcode.FORMERR);
        return response;
      }
      return null;
    }
    Message response = Reply.to(query);
    response.addRecord(
        Edns.responseOpt(opt, payloadSize, Rcode.BADVERS, List.of()), Section.ADDITIONAL);
    response.getHeader().setRcode(Rcode.BADVERS & 0xF);
    return response;
  }

  /**
   * RFC 7873 5.4: a QUERY without a question but with a client cookie asks for our server cookie;
   * the answer is NOERROR with our OPT, to which the flow adds the cookie (BIND and NSD answer it
   * so). Null for any other query: without a cookie no question stays FORMERR.
   */
  static Message serverCookieRequest(Message query, int payloadSize) {
    Header header = query.getHeader();
    if (header.getOpcode() != Opcode.QUERY
        || header.getCount(Section.QUESTION) != 0
        || ServerCookies.clientCookie(query.getOPT()) == null) {
      return null;
    }
    return Reply.error(query, Rcode.NOERROR, payloadSize);
  }

  /**
   * SERVFAIL for a query the handler failed on, so the client learns at once instead of waiting for
   * its timeout and retrying into the same failure.
   */
  static Message servFail(Message query, int payloadSize) {
    return Reply.error(query, Rcode.SERVFAIL, payloadSize);
  }

  /**
   * Calls the handler, turning an exception it throws into a failed stage, so that both end up as
   * one SERVFAIL instead of an unanswered query.
   */
  static <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The biggest answer this query may receive over {@code transport}. */
  static int sizeLimit(Message query, Transport transport, int maxUdpPayload) {
    if (transport == Transport.TCP) {
      return 65535;
    }
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return CLASSIC_UDP_LIMIT;
    }
    return Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), maxUdpPayload));
  }

  /** Encodes an answer within the limit; dnsjava drops whole RRsets and sets TC if it must. */
  static byte[] encode(Message response, int limit) {
    return response.toWire(limit);
  }

  /** True when an encoded answer has its TC bit set. */
  static boolean truncated(byte[] answer) {
    return answer.length >= HEADER_LENGTH && (answer[2] & 0x02) != 0;
  }
}
