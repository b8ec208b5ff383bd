package io.shopstack.dns.resolver.iteration;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;

/**
 * The authority for {@code endless.example.} as a broken or malicious server has it, on a plain
 * socket: whatever name below its zone it is asked for, it delegates exactly that name, to a server
 * on its own address (glue included). Asked label by label, as QNAME minimisation asks, the chain
 * of ever deeper zone cuts never ends; only the resolver's referral limit does.
 */
final class EndlessReferrals implements AutoCloseable {
  static final Name ZONE = Name.fromConstantString("endless.example.");

  private final DatagramSocket socket;
  private final InetAddress self;
  final AtomicInteger queries = new AtomicInteger();

  EndlessReferrals(String address, int port) throws IOException {
    self = InetAddress.getByName(address);
    socket = new DatagramSocket(new InetSocketAddress(self, port));
    Thread loop = new Thread(this::serve, "endless-referrals");
    loop.setDaemon(true);
    loop.start();
  }

  private void serve() {
    byte[] buffer = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        queries.incrementAndGet();
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Name asked = query.getQuestion().getName();
        Message referral = new Message(query.getHeader().getID());
        referral.getHeader().setFlag(Flags.QR);
        referral.addRecord(query.getQuestion(), Section.QUESTION);
        if (asked.subdomain(ZONE) && !asked.equals(ZONE)) {
          Name server = Name.concatenate(Name.fromConstantString("ns"), asked);
          referral.addRecord(new NSRecord(asked, DClass.IN, 3600, server), Section.AUTHORITY);
          referral.addRecord(new ARecord(server, DClass.IN, 3600, self), Section.ADDITIONAL);
        }
        byte[] wire = referral.toWire();
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (IOException e) {
        // closed, or a packet that is no DNS query: this server does not care
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
