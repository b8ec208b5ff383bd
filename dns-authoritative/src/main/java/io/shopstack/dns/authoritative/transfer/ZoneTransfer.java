package io.shopstack.dns.authoritative.transfer;

import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * AXFR over TCP (RFC 5936): the zone's SOA, every other record, the SOA again, split over as many
 * messages as needed. IXFR is answered the same way, which RFC 1995 4 allows a server without
 * change history to do. Clients outside the {@link TransferAcl} get REFUSED; a name that is not the
 * apex of one of our zones gets NOTAUTH (RFC 5936 2.2.1).
 */
public final class ZoneTransfer {
  private static final Logger log = LoggerFactory.getLogger(ZoneTransfer.class);

  /** Payload per message; well under 65535 so a large RRset never overflows one. */
  private static final int MESSAGE_BUDGET = 16_000;

  private final TransferAcl acl;

  public ZoneTransfer(TransferAcl acl) {
    this.acl = acl;
  }

  public List<Message> answer(Message query, ZoneSet zones, InetSocketAddress client) {
    Record question = query.getQuestion();
    if (!acl.allows(client.getAddress())) {
      log.info("zone transfer of {} refused to {}", question.getName(), client);
      return List.of(empty(query, Rcode.REFUSED));
    }
    AuthoritativeZone zone = zones.zone(question.getName());
    if (zone == null) {
      return List.of(empty(query, Rcode.NOTAUTH));
    }
    List<Message> messages = new ArrayList<>();
    Message current = start(query, true);
    int size = 0;
    List<Record> records = new ArrayList<>();
    records.add(zone.soa());
    for (RRset rrset : zone.transferBody()) {
      records.addAll(rrset.rrs());
    }
    records.add(zone.soa());
    for (Record r : records) {
      int length = r.toWire(Section.ANSWER).length; // uncompressed: an upper bound
      if (size > 0 && size + length > MESSAGE_BUDGET) {
        messages.add(current);
        current = start(query, false);
        size = 0;
      }
      current.addRecord(r, Section.ANSWER);
      size += length;
    }
    messages.add(current);
    log.info(
        "zone transfer of {} serial {} to {}: {} records in {} messages",
        zone.origin(),
        zone.soa().getSerial(),
        client,
        records.size(),
        messages.size());
    return messages;
  }

  /** RFC 5936 2.2.1: the question goes in the first message; the others may leave it out. */
  private static Message start(Message query, boolean withQuestion) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (withQuestion) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return response;
  }

  private static Message empty(Message query, int rcode) {
    Message response = start(query, true);
    response.getHeader().unsetFlag(Flags.AA);
    response.getHeader().setRcode(rcode);
    return response;
  }
}
