package io.shopstack.client.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The phone's stub resolver: it asks one configured local DNS resolver (recursion desired) and
 * never the JVM's or the operating system's resolver, so the journey shows the project's own
 * resolver at work. Queries leave from the client's address, because that address is what the
 * resolver passes on (as ECS or as itself) to the GSLB that picks the nearest edge.
 *
 * <p>Each query goes over its own <em>connected</em> socket: connecting is what makes the kernel
 * pick the source address when the configured one is the wildcard (Docker), so the lookup can
 * report the address and port the query really left from instead of {@code 0.0.0.0}. A connected
 * UDP socket also hears the ICMP "port unreachable" of a resolver that is down, and only the
 * resolver's datagrams. A truncated (TC) answer is asked again over TCP, as dig does.
 */
public final class StubResolver {
  /** The EDNS payload size DNS Flag Day 2020 recommends: large enough, never fragmented. */
  private static final int UDP_PAYLOAD = 1232;

  private final InetSocketAddress server;
  private final InetAddress bind;
  private final Duration timeout;

  /**
   * @param bind the configured source address; a wildcard lets the kernel choose by route
   */
  public StubResolver(InetSocketAddress server, InetAddress bind, Duration timeout) {
    this.server = server;
    this.bind = bind;
    this.timeout = timeout;
  }

  public InetSocketAddress server() {
    return server;
  }

  /**
   * The address queries leave from: the configured one, or for a wildcard the one the kernel picks
   * for the route to the resolver (read from a connected socket, which sends nothing).
   */
  public InetAddress source() throws IOException {
    if (!bind.isAnyLocalAddress()) {
      return bind;
    }
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(bind, 0))) {
      probe.connect(server);
      return probe.getLocalAddress();
    }
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
    query.addRecord(new OPTRecord(UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Answer answer = overUdp(query, deadline);
    if (answer.message().getHeader().getFlag(Flags.TC)) {
      answer = overTcp(query, deadline);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Message response = answer.message();
    return new DnsLookup(
        qname.toString(),
        Type.string(type),
        Rcode.string(response.getRcode()),
        response.getHeader().printFlags().trim(),
        response.getSection(Section.ANSWER).stream().map(AnswerRecord::of).toList(),
        server,
        answer.local(),
        answer.transport(),
        took);
  }

  private record Answer(Message message, InetSocketAddress local, String transport) {}

  private Answer overUdp(Message query, long deadline) throws IOException {
    byte[] wire = query.toWire();
    InetSocketAddress local = null;
    try (DatagramSocket socket = new DatagramSocket(null)) {
      bind(socket);
      socket.connect(server);
      local = (InetSocketAddress) socket.getLocalSocketAddress();
      socket.send(new DatagramPacket(wire, wire.length));
      byte[] buffer = new byte[65535];
      while (true) {
        socket.setSoTimeout(millisLeft(deadline));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message response = parse(buffer, packet.getLength());
        // Anything else on this port is not our answer (a late reply to an earlier query, a
        // spoof): wait on, as dig does, until the right one or the deadline.
        if (response != null && answers(query, response)) {
          return new Answer(response, local, "UDP");
        }
      }
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "no answer from %s within %d ms (%s %s sent from %s)"
              .formatted(
                  describeResolver(),
                  timeout.toMillis(),
                  query.getQuestion().getName(),
                  Type.string(query.getQuestion().getType()),
                  local == null ? bind.getHostAddress() : describe(local)),
          e);
    } catch (PortUnreachableException e) {
      throw new IOException(describeResolver() + " unreachable: nothing listens on that port", e);
    }
  }

  private Answer overTcp(Message query, long deadline) throws IOException {
    byte[] wire = query.toWire();
    try (Socket socket = new Socket()) {
      if (!bind.isAnyLocalAddress()) {
        socket.bind(new InetSocketAddress(bind, 0));
      }
      socket.connect(server, millisLeft(deadline));
      InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      socket.setSoTimeout(millisLeft(deadline));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] buffer = new byte[in.readUnsignedShort()];
      in.readFully(buffer);
      Message response = parse(buffer, buffer.length);
      if (response == null || !answers(query, response)) {
        throw new IOException(describeResolver() + " sent a TCP answer that does not match");
      }
      return new Answer(response, local, "TCP");
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "no TCP answer from %s within %d ms".formatted(describeResolver(), timeout.toMillis()),
          e);
    }
  }

  private void bind(DatagramSocket socket) throws IOException {
    try {
      socket.bind(new InetSocketAddress(bind, 0));
    } catch (BindException e) {
      throw new IOException("cannot send DNS queries from " + bind.getHostAddress(), e);
    }
  }

  private static boolean answers(Message query, Message response) {
    return response.getHeader().getID() == query.getHeader().getID()
        && response.getHeader().getFlag(Flags.QR)
        && query.getQuestion().equals(response.getQuestion());
  }

  private static Message parse(byte[] buffer, int length) {
    try {
      return new Message(java.util.Arrays.copyOf(buffer, length));
    } catch (IOException e) { // not DNS: ignored like any other stray datagram
      return null;
    }
  }

  private static int millisLeft(long deadlineNanos) throws SocketTimeoutException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private String describeResolver() {
    return "resolver " + describe(server);
  }

  static String describe(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
