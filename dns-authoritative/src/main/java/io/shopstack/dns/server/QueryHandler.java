package io.shopstack.dns.server;

import java.net.InetSocketAddress;
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
}
