package io.shopstack.dns.resolver.iteration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * Whether a datagram answers the query we sent (RFC 5452 9.1): from the server asked, with the
 * query's ID, QR set and the same question. Anything else is a forgery, a late answer to an earlier
 * query or garbage, and must not end the wait. Both ways of holding an upstream socket use it.
 */
final class ReplyMatch {
  private ReplyMatch() {}

  /** The response in {@code wire} (position to limit) if it answers {@code query}; else null. */
  static Message answering(
      Message query, InetSocketAddress server, InetSocketAddress sender, ByteBuffer wire) {
    if (!server.equals(sender) || wire.remaining() < 12) {
      return null;
    }
    if ((wire.getShort(wire.position()) & 0xffff) != query.getHeader().getID()) {
      return null; // checked before parsing: a flood of forgeries costs no parsing
    }
    Message response;
    try {
      response = new Message(wire);
    } catch (IOException malformed) {
      return null;
    }
    Record asked = query.getQuestion();
    Record question = response.getQuestion();
    boolean sameQuestion =
        question != null
            && question.getName().equals(asked.getName())
            && question.getType() == asked.getType()
            && question.getDClass() == asked.getDClass();
    return sameQuestion && response.getHeader().getFlag(Flags.QR) ? response : null;
  }
}
