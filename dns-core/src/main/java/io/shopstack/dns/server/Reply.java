package io.shopstack.dns.server;

import io.shopstack.dns.edns.Edns;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;

/**
 * How every answer of every DNS server here begins, so the header rules live in one place: the
 * query's ID and opcode, QR set, RD copied only for opcode QUERY (RFC 1035 4.1.1 defines RD for
 * queries; NSD and BIND clear it for anything else, which ISC's genreport checks as "opcodeflg"),
 * and the question echoed byte for byte so 0x20 case randomisation checks pass.
 */
public final class Reply {
  private Reply() {}

  /** Header and question of an answer to {@code query}, rcode NOERROR, nothing else yet. */
  public static Message to(Message query) {
    Header asked = query.getHeader();
    Message response = new Message(asked.getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(asked.getOpcode());
    if (asked.getOpcode() == Opcode.QUERY && asked.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (asked.getCount(Section.QUESTION) == 1 && query.getQuestion() != null) {
      // The very record we parsed: the client's letter case survives (draft-vixie-dnsext-dns0x20).
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return response;
  }

  /**
   * An answer that is only an rcode (FORMERR, NOTIMP, REFUSED, SERVFAIL), with our OPT when the
   * query had one: RFC 6891 7 wants an OPT in every answer to a query that carried one, errors
   * included. The transport has already rejected queries whose OPT was unusable.
   */
  public static Message error(Message query, int rcode, int payloadSize) {
    Message response = to(query);
    response.getHeader().setRcode(rcode);
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      response.addRecord(Edns.responseOpt(opt, payloadSize, 0, List.of()), Section.ADDITIONAL);
    }
    return response;
  }
}
