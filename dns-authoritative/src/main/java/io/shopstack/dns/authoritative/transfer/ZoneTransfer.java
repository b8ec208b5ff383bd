package io.shopstack.dns.authoritative.transfer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * AXFR over TCP (RFC 5936): the zone's SOA, every other record, the SOA again, split over as many
 * messages as needed. IXFR is answered the same way, which RFC 1995 4 allows a server without
 * change history to do, except to a secondary already at our serial (or ahead), which gets our SOA
 * alone (RFC 1995 2), and an IXFR without the client's SOA, which is FORMERR, as NSD and BIND
 * answer both. Clients outside the {@link TransferAcl} get REFUSED; a name that is not the apex of
 * one of our zones gets NOTAUTH (RFC 5936 2.2.1).
 *
 * <p>The messages are made one at a time as the transport asks for them ({@link #stream}), from the
 * zone snapshot the transfer began with: a reload meanwhile does not mix two versions, and a
 * million-record transfer holds one message in memory, not the zone twice over.
 */
public final class ZoneTransfer {
  private static final Logger log = LoggerFactory.getLogger(ZoneTransfer.class);

  /** Payload per message; well under 65535 so a large RRset never overflows one. */
  private static final int MESSAGE_BUDGET = 16_000;

  private final TransferAcl acl;
  private final Counter messagesMade;

  public ZoneTransfer(TransferAcl acl) {
    this(acl, new SimpleMeterRegistry());
  }

  /**
   * @param registry where {@code dns_transfer_messages} counts the messages made, so an operator
   *     (and a test) sees a transfer advance, or wait for a slow client
   */
  public ZoneTransfer(TransferAcl acl, MeterRegistry registry) {
    this.acl = acl;
    this.messagesMade =
        Counter.builder("dns_transfer_messages")
            .description("Zone transfer messages made; made only as fast as clients read them")
            .register(registry);
  }

  /** The whole transfer at once (for small zones and tests); the server uses {@link #stream}. */
  public List<Message> answer(Message query, ZoneSet zones, InetSocketAddress client) {
    List<Message> messages = new ArrayList<>();
    stream(query, zones, client).forEachRemaining(messages::add);
    return messages;
  }

  /** The transfer's messages, each made when asked for. */
  public Iterator<Message> stream(Message query, ZoneSet zones, InetSocketAddress client) {
    Record question = query.getQuestion();
    boolean incremental = question.getType() == Type.IXFR;
    SOARecord held = incremental ? clientSoa(query) : null;
    if (incremental && held == null) {
      return List.of(empty(query, Rcode.FORMERR)).iterator();
    }
    if (!acl.allows(client.getAddress())) {
      log.info("zone transfer of {} refused to {}", question.getName(), client);
      return List.of(empty(query, Rcode.REFUSED)).iterator();
    }
    AuthoritativeZone zone = zones.zone(question.getName());
    if (zone == null) {
      return List.of(empty(query, Rcode.NOTAUTH)).iterator();
    }
    if (incremental && Serial.compare(held.getSerial(), zone.soa().getSerial()) >= 0) {
      // RFC 1995 2: a secondary already at our version (or ahead) gets our SOA alone, not the zone.
      return List.of(soaOnly(query, zone)).iterator();
    }
    log.info(
        "zone transfer of {} serial {} to {} begins",
        zone.origin(),
        zone.soa().getSerial(),
        client);
    return new Messages(query, zone, client, messagesMade);
  }

  /**
   * IXFR over UDP (RFC 1995 2): our SOA alone, which tells a secondary behind us to come over TCP
   * and one at our version that it is up to date, as BIND answers; AXFR over UDP is REFUSED (RFC
   * 5936 4.2: TCP only). The answer has no OPT; the caller adds one when the query had one.
   */
  public Message overUdp(Message query, ZoneSet zones, InetSocketAddress client) {
    Record question = query.getQuestion();
    if (question.getType() != Type.IXFR) {
      return empty(query, Rcode.REFUSED);
    }
    if (clientSoa(query) == null) {
      return empty(query, Rcode.FORMERR);
    }
    if (!acl.allows(client.getAddress())) {
      return empty(query, Rcode.REFUSED);
    }
    AuthoritativeZone zone = zones.zone(question.getName());
    return zone == null ? empty(query, Rcode.NOTAUTH) : soaOnly(query, zone);
  }

  /** The client's version: an IXFR query carries its SOA in the authority section (RFC 1995 3). */
  private static SOARecord clientSoa(Message query) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }

  private static Message soaOnly(Message query, AuthoritativeZone zone) {
    Message response = start(query, true);
    response.addRecord(zone.soa(), Section.ANSWER);
    return response;
  }

  /** Fills each message with records up to the budget; the first carries the question. */
  private static final class Messages implements Iterator<Message> {
    private final Message query;
    private final AuthoritativeZone zone;
    private final InetSocketAddress client;
    private final Iterator<Record> records;
    private final Counter messagesMade;
    private Record pending; // taken from the zone but did not fit into the previous message
    private int made;
    private long sent;

    Messages(
        Message query, AuthoritativeZone zone, InetSocketAddress client, Counter messagesMade) {
      this.query = query;
      this.messagesMade = messagesMade;
      this.zone = zone;
      this.client = client;
      this.records = zone.transferRecords();
    }

    @Override
    public boolean hasNext() {
      return pending != null || records.hasNext();
    }

    @Override
    public Message next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Message message = start(query, made == 0);
      int size = 0;
      while (pending != null || records.hasNext()) {
        Record r = pending != null ? pending : records.next();
        pending = null;
        int length = r.toWire(Section.ANSWER).length; // uncompressed: an upper bound
        if (size > 0 && size + length > MESSAGE_BUDGET) {
          pending = r;
          break;
        }
        message.addRecord(r, Section.ANSWER);
        size += length;
        sent++;
      }
      made++;
      messagesMade.increment();
      if (!hasNext()) {
        log.info(
            "zone transfer of {} serial {} to {}: {} records in {} messages",
            zone.origin(),
            zone.soa().getSerial(),
            client,
            sent,
            made);
      }
      return message;
    }
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
