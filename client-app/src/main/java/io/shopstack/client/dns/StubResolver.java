package io.shopstack.client.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The phone's stub resolver: it asks one configured local DNS resolver (recursion desired) and
 * never the JVM's or the operating system's resolver, so the journey shows the project's own
 * resolver at work. Queries leave from the client's address, because that address is what the
 * resolver passes on (as ECS or as itself) to the GSLB that picks the nearest edge.
 */
public final class StubResolver {
  private final SimpleResolver resolver;
  private final InetSocketAddress server;
  private final InetAddress source;
  private final Duration timeout;

  public StubResolver(InetSocketAddress server, InetAddress source, Duration timeout) {
    this.server = server;
    this.source = source;
    this.timeout = timeout;
    this.resolver = new SimpleResolver(server);
    // Port 0: dnsjava picks a random source port per query, as a stub resolver should.
    resolver.setLocalAddress(new InetSocketAddress(source, 0));
    resolver.setTimeout(timeout);
  }

  public InetSocketAddress server() {
    return server;
  }

  public InetAddress source() {
    return source;
  }

  /**
   * Sends one RD=1 query and returns the response, whatever its rcode: deciding whether NXDOMAIN or
   * SERVFAIL is a failure is the caller's business.
   *
   * @throws IOException with a message naming the resolver when no usable answer arrived
   */
  public DnsLookup lookup(String name, int type) throws IOException {
    Name qname;
    try {
      qname = Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: " + name, e);
    }
    Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
    long start = System.nanoTime();
    Message response;
    try {
      response = resolver.send(query);
    } catch (IOException e) {
      throw explain(e, qname, type);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new DnsLookup(
        qname.toString(),
        Type.string(type),
        Rcode.string(response.getRcode()),
        response.getHeader().printFlags().trim(),
        response.getSection(Section.ANSWER).stream().map(AnswerRecord::of).toList(),
        server,
        source,
        took);
  }

  /**
   * dnsjava reports a timeout as a plain IOException wrapping a TimeoutException, and socket errors
   * at various depths; the journey wants one sentence naming the resolver.
   */
  private IOException explain(IOException e, Name qname, int type) {
    String resolverName = "resolver " + describe(server);
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
        return new IOException(
            "no answer from %s within %d ms (%s %s sent from %s)"
                .formatted(
                    resolverName,
                    timeout.toMillis(),
                    qname,
                    Type.string(type),
                    source.getHostAddress()),
            e);
      }
      if (cause instanceof PortUnreachableException) {
        return new IOException(resolverName + " unreachable: nothing listens on that port", e);
      }
      if (cause instanceof BindException) {
        return new IOException("cannot send DNS queries from " + source.getHostAddress(), e);
      }
    }
    return new IOException("query to " + resolverName + " failed: " + e.getMessage(), e);
  }

  static String describe(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
