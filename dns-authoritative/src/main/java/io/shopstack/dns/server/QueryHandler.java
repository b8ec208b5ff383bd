package io.shopstack.dns.server;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * What a DNS server does with a well-formed query: the authoritative engine answers at once from
 * memory, the resolver answers later after talking to other servers, so the answer is a {@link
 * CompletionStage}. The transport owns everything on the wire around it: parsing, FORMERR for
 * garbage, size limits and truncation.
 */
@FunctionalInterface
public interface QueryHandler {
  CompletionStage<Message> handle(Message query, InetSocketAddress client, Transport transport);
}
