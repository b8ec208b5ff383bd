package io.shopstack.dns.resolver.iteration;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authority for {@code hostile.example.} as an attacker who sits next to it would have it: on
 * plain sockets, no DNS library between it and the wire. Before each real UDP answer it fires
 * forgeries at the asking port: from another address, from another port, with the wrong ID, for
 * another question, and unparseable; the real answer then carries out-of-bailiwick records in every
 * section and an unsolicited one. For {@code tc.hostile.example} its UDP answer is truncated (and
 * poisoned), the real one comes over TCP only.
 */
final class HostileAuthority implements AutoCloseable {
  static final Name ZONE = Name.fromConstantString("hostile.example.");
  static final Name WWW = Name.fromConstantString("www.hostile.example.");
  static final Name TRUNCATED = Name.fromConstantString("tc.hostile.example.");
  static final String REAL_ADDRESS = "127.28.5.5";
  static final String REAL_TCP_ADDRESS = "127.28.5.6";

  /** What every forgery and every smuggled record claims: the attacker's address. */
  static final String POISON = "127.66.6.6";

  private static final Name SHOP = Name.fromConstantString("shop.example.");
  private static final Name SHOP_WWW = Name.fromConstantString("www.shop.example.");
  private static final Name SHOP_NS = Name.fromConstantString("ns.shop.example.");
  static final Name UNSOLICITED = Name.fromConstantString("other.hostile.example.");

  private final DatagramSocket real;
  private final DatagramSocket otherAddress;
  private final DatagramSocket otherPort;
  private final ServerSocket tcp;
  private final Thread udpLoop;
  private final Thread tcpLoop;
  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  final AtomicInteger forgeriesSent = new AtomicInteger();

  HostileAuthority(String address, String neighbour, int port) throws IOException {
    InetAddress self = InetAddress.getByName(address);
    real = new DatagramSocket(new InetSocketAddress(self, port));
    otherAddress = new DatagramSocket(new InetSocketAddress(neighbour, port));
    otherPort = new DatagramSocket(new InetSocketAddress(self, 0));
    tcp = new ServerSocket(port, 10, self);
    udpLoop = daemon("hostile-udp", this::serveUdp);
    tcpLoop = daemon("hostile-tcp", this::serveTcp);
  }

  private static Thread daemon(String name, Runnable loop) {
    Thread thread = new Thread(loop, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (!real.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        real.receive(packet);
        udpQueries.incrementAndGet();
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        SocketAddress victim = packet.getSocketAddress();
        Record question = query.getQuestion();
        int id = query.getHeader().getID();
        if (question.getName().equals(TRUNCATED)) {
          Message truncated = forgedAnswer(id, question);
          truncated.getHeader().setFlag(Flags.TC);
          send(real, truncated.toWire(), victim);
          continue;
        }
        if (question.getName().equals(WWW)) {
          forge(id, question, victim);
        }
        send(real, answer(query, false).toWire(), victim);
      } catch (IOException e) {
        // closed, or a packet that is no DNS query: this server does not care
      }
    }
  }

  /** Everything an off-path or on-path attacker tries before the real answer arrives. */
  private void forge(int id, Record question, SocketAddress victim) throws IOException {
    byte[] forged = forgedAnswer(id, question).toWire();
    send(otherAddress, forged, victim); // right ID and question, wrong source address
    send(otherPort, forged, victim); // right ID and question, wrong source port
    send(real, forgedAnswer((id + 1) & 0xFFFF, question).toWire(), victim); // wrong ID
    Record other = Record.newRecord(SHOP_WWW, Type.A, DClass.IN);
    send(real, forgedAnswer(id, other).toWire(), victim); // another question
    Record otherType = Record.newRecord(question.getName(), Type.AAAA, DClass.IN);
    send(real, forgedAnswer(id, otherType).toWire(), victim); // same name, another type
    send(real, Arrays.copyOf(forged, 20), victim); // right ID, cut short: unparseable
    forgeriesSent.addAndGet(6);
  }

  private void send(DatagramSocket from, byte[] data, SocketAddress to) throws IOException {
    from.send(new DatagramPacket(data, data.length, to));
  }

  private static Message forgedAnswer(int id, Record question) {
    Message forged = new Message(id);
    forged.getHeader().setFlag(Flags.QR);
    forged.getHeader().setFlag(Flags.AA);
    forged.addRecord(question, Section.QUESTION);
    forged.addRecord(a(question.getName(), POISON), Section.ANSWER);
    return forged;
  }

  /** The real answer, with the smuggled records a poisoner adds to it. */
  private static Message answer(Message query, boolean overTcp) {
    Record question = query.getQuestion();
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    if (name.equals(WWW) && question.getType() == Type.A) {
      response.addRecord(a(WWW, REAL_ADDRESS), Section.ANSWER);
    } else if (name.equals(TRUNCATED) && question.getType() == Type.A && overTcp) {
      response.addRecord(a(TRUNCATED, REAL_TCP_ADDRESS), Section.ANSWER);
    } else {
      response.getHeader().setRcode(name.equals(WWW) ? Rcode.NOERROR : Rcode.NXDOMAIN);
      response.addRecord(
          new SOARecord(ZONE, DClass.IN, 60, ns(), ns(), 1, 3600, 900, 604800, 60),
          Section.AUTHORITY);
      return response;
    }
    response.addRecord(a(SHOP_WWW, POISON), Section.ANSWER); // out of bailiwick
    response.addRecord(new NSRecord(ZONE, DClass.IN, 3600, ns()), Section.AUTHORITY);
    response.addRecord(new NSRecord(SHOP, DClass.IN, 3600, ns()), Section.AUTHORITY); // hijack
    response.addRecord(a(SHOP_NS, POISON), Section.ADDITIONAL); // out-of-bailiwick glue
    response.addRecord(a(UNSOLICITED, POISON), Section.ADDITIONAL); // nobody asked
    return response;
  }

  private static Name ns() {
    return Name.fromConstantString("ns.hostile.example.");
  }

  private static ARecord a(Name name, String address) {
    try {
      return new ARecord(name, DClass.IN, 300, InetAddress.getByName(address));
    } catch (IOException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket connection = tcp.accept()) {
        DataInputStream in = new DataInputStream(connection.getInputStream());
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        tcpQueries.incrementAndGet();
        byte[] response = answer(new Message(query), true).toWire();
        DataOutputStream out = new DataOutputStream(connection.getOutputStream());
        out.writeShort(response.length);
        out.write(response);
        out.flush();
      } catch (IOException e) {
        // closed, or a client that went away
      }
    }
  }

  @Override
  public void close() throws Exception {
    real.close();
    otherAddress.close();
    otherPort.close();
    tcp.close();
    udpLoop.join(5000);
    tcpLoop.join(5000);
  }
}
