package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * What a DNS server does with a well-formed query: the authoritative engine answers at once from
 * memory, the resolver answers later after talking to other servers, so the answer is a {@link
 * CompletionStage}. The transport owns everything on the wire around it: parsing, FORMERR for
 * garbage, size limits and truncation. A null answer means: send nothing (rate limiting).
 */
@FunctionalInterface
public interface QueryHandler {
  CompletionStage<Message> handle(Message query, InetSocketAddress client, Transport transport);

  /**
   * Over TCP one query may be answered by several messages: a zone transfer (RFC 5936 2.2). Every
   * other query gets the one message {@link #handle} makes.
   */
  default CompletionStage<List<Message>> handleOverTcp(Message query, InetSocketAddress client) {
    return handle(query, client, Transport.TCP)
        .thenApply(response -> response == null ? List.of() : List.of(response));
  }

  /**
   * Over TCP, an answer of many messages made one at a time: the transport takes the next message
   * only when the connection can take it (backpressure) and lets other connections of its event
   * loop have a turn between batches, so a zone transfer is never held whole in memory nor keeps
   * the loop to itself. The iterator is called on the connection's event loop; an exception from it
   * ends the transfer by closing the connection (the client sees an incomplete transfer, as RFC
   * 5936 expects it to cope with). By default the messages of {@link #handleOverTcp}.
   */
  default CompletionStage<Iterator<Message>> streamOverTcp(
      Message query, InetSocketAddress client) {
    return handleOverTcp(query, client).thenApply(List::iterator);
  }

  /**
   * The data this handler answers from, when its answer to a plain query (opcode QUERY, one
   * class-IN question, at most an OPT without options that matter) depends on nothing else: not on
   * the client, the time or the query ID. The transport then keeps each such answer as encoded
   * bytes and replays them until this returns a different object (compared by identity), so it must
   * change whenever the data does: an immutable snapshot fits. Null, the default, means every query
   * is answered afresh (per-client answers, rate limiting, a resolver's cache).
   */
  default Object answerSnapshot() {
    return null;
  }

  /**
   * Which answers prepared from snapshot {@code before} still hold in {@code after} (both from
   * {@link #answerSnapshot}), so the transport carries them over instead of dropping every one;
   * null, the default, when none is known to (all are computed afresh).
   */
  default UnchangedAnswers unchangedAnswers(Object before, Object after) {
    return null;
  }

  /**
   * The handler's own fast path, tried before the query is parsed: for answers that depend on the
   * client as well as on the data (the GSLB's, tailored to the client's subnet), which prepared
   * answers cannot hold. Returns the whole answer to the query in {@code query} (readable bytes,
   * not to be moved or released) in a new buffer from {@code alloc}, after {@code headroom} bytes
   * left free for the transport's framing; or null, the default, to take the usual path. A handler
   * must answer here only queries it understands completely, byte for byte as the usual path would,
   * within the size the query allows, and none that offers a DNS cookie (the transport adds its
   * server cookie only on the usual path). The answer is then admitted like any other ({@link
   * #admit}): over its rate, the client gets the slip or nothing, and the buffer is released.
   */
  default ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    return null;
  }

  /**
   * Whether {@code client} may have an answer now: asked by the transport once for every query it
   * would answer (by replaying a prepared answer, by sending the answer this handler made from the
   * wire, which it was asked for first, or by calling this handler), after garbage and unusable
   * EDNS have been answered. A {@link Admission#SLIP} gets the query's header and question back
   * with TC set and nothing else; a {@link Admission#DROP} gets nothing. Every query is admitted by
   * default; a rate limiter says otherwise, and then keeps its prepared answers.
   */
  default Admission admit(InetSocketAddress client, Transport transport) {
    return Admission.SEND;
  }
}
