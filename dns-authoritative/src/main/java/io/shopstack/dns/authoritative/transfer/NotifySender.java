package io.shopstack.dns.authoritative.transfer;

import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Tells secondaries that a zone changed (RFC 1996), so they transfer it now instead of waiting for
 * the SOA refresh timer: a NOTIFY with AA set, the zone's SOA as question and the new SOA in the
 * answer section (3.7), over UDP, retried a few times until the secondary acknowledges. It runs on
 * its own thread; a silent secondary never delays a reload.
 */
public final class NotifySender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifySender.class);
  private static final int ATTEMPTS = 3;
  private static final int TIMEOUT_MILLIS = 1000;

  private final List<InetSocketAddress> secondaries;
  private final ExecutorService thread;

  public NotifySender(List<InetSocketAddress> secondaries, String instance) {
    this.secondaries = List.copyOf(secondaries);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, instance + "-notify");
              t.setDaemon(true);
              return t;
            });
  }

  /** Parses {@code "127.0.0.9:53, 10.0.0.2:5353"}. */
  public static List<InetSocketAddress> parse(String list) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String entry : list.split(",")) {
      String hostPort = entry.trim();
      if (hostPort.isEmpty()) {
        continue;
      }
      int colon = hostPort.lastIndexOf(':');
      try {
        out.add(
            new InetSocketAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("notify entry '" + hostPort + "' is not host:port", e);
      }
    }
    return out;
  }

  /** Queues a NOTIFY for {@code zone} to every secondary. */
  public void zoneChanged(AuthoritativeZone zone) {
    if (secondaries.isEmpty()) {
      return;
    }
    Message notify = new Message();
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.addRecord(Record.newRecord(zone.origin(), Type.SOA, DClass.IN), Section.QUESTION);
    notify.addRecord(zone.soa(), Section.ANSWER);
    for (InetSocketAddress secondary : secondaries) {
      thread.execute(() -> send(notify, secondary, zone));
    }
  }

  private static void send(Message notify, InetSocketAddress secondary, AuthoritativeZone zone) {
    byte[] wire = notify.toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        socket.send(new DatagramPacket(wire, wire.length, secondary));
        if (acknowledged(socket, notify.getHeader().getID())) {
          log.info(
              "NOTIFY {} serial {} acknowledged by {}",
              zone.origin(),
              zone.soa().getSerial(),
              secondary);
          return;
        }
      }
      log.warn("NOTIFY {} to {}: no answer after {} tries", zone.origin(), secondary, ATTEMPTS);
    } catch (IOException e) {
      log.warn("NOTIFY {} to {} failed: {}", zone.origin(), secondary, e.toString());
    }
  }

  private static boolean acknowledged(DatagramSocket socket, int id) throws IOException {
    byte[] buffer = new byte[512];
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        return false;
      }
      try {
        Message answer = new Message(Arrays.copyOf(reply.getData(), reply.getLength()));
        if (answer.getHeader().getID() == id && answer.getHeader().getFlag(Flags.QR)) {
          return true;
        }
      } catch (IOException garbage) {
        // not an answer to us; keep waiting
      }
    }
    return false;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
