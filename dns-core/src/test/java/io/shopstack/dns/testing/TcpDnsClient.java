package io.shopstack.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS over TCP the way a stub writes it by hand (a two-byte length, then the message), for tests
 * that need to hold one connection open: dnsjava's resolver opens a connection per query. Shipped
 * in dns-core's test jar for the tests of every DNS server.
 */
public final class TcpDnsClient {
  private TcpDnsClient() {}

  public static Socket connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000); // a guard against a hang, not a measurement
    return socket;
  }

  public static void write(Socket socket, Message query) throws IOException {
    byte[] wire = query.toWire();
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
  }

  public static Message read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] wire = new byte[in.readUnsignedShort()];
    in.readFully(wire);
    return new Message(wire);
  }

  /** A query and its answer on an open connection. */
  public static Message exchange(Socket socket, Message query) throws IOException {
    write(socket, query);
    return read(socket);
  }

  public static Message query(String name, int id) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    return query;
  }

  /** The next byte the server sends, or -1 once it has closed (a reset counts as closed). */
  public static int nextByte(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }
}
