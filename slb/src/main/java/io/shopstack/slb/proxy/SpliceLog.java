package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.shopstack.slb.backend.Backend;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to one client connection, written as one access-log line when it closes, in the
 * spirit of HAProxy's {@code option tcplog}: who the client was and which address it dialled, the
 * backend it was spliced to, the time spent queued ({@code Tw}), connecting to the backend ({@code
 * Tc}) and in total ({@code Tt}) in milliseconds, the bytes from the client and to it, and how it
 * ended, as HAProxy's two-letter termination state: the first letter says who ended it ({@code C}
 * client, {@code S} server, {@code c}/{@code s} a client-side/server-side timeout, {@code K} the
 * SLB stopping, {@code -} nobody: a normal end), the second in which phase ({@code R} before the
 * first byte, {@code Q} queued, {@code C} connecting, {@code D} moving data), and the connection's
 * unique ID when the PROXY header carries one (HAProxy's {@code %ID}). Lives on the client's event
 * loop, like both channels of its splice.
 */
final class SpliceLog {
  /** The access log's own logger, so an operator can route or silence it apart from the rest. */
  static final Logger ACCESS = LoggerFactory.getLogger("io.shopstack.slb.access");

  private final long accepted = System.nanoTime();
  private long queued = -1;
  private long connecting = -1;
  private long connected = -1;
  private String backend = "-";
  private Backend spliced;
  private long fromClient;
  private long toClient;
  private String end;
  private String id;

  void queued() {
    queued = System.nanoTime();
  }

  void connecting() {
    connecting = System.nanoTime();
  }

  void backend(Backend backend) {
    connected = System.nanoTime();
    this.backend = backend.name();
    spliced = backend;
    // What the client sent while its backend was being connected goes to the backend now.
    backend.fromClient(fromClient);
  }

  /** Counted here and on the backend's totals, once it has one. */
  void fromClient(int bytes) {
    fromClient += bytes;
    if (spliced != null) {
      spliced.fromClient(bytes);
    }
  }

  void toClient(int bytes) {
    toClient += bytes;
    if (spliced != null) {
      spliced.toClient(bytes);
    }
  }

  /** The connection's unique ID, as the PROXY header gave it to the backend. */
  void id(String uniqueId) {
    id = uniqueId;
  }

  /** Bytes moved so far, both ways. */
  long bytes() {
    return fromClient + toClient;
  }

  long fromClientBytes() {
    return fromClient;
  }

  /** How it ended, when not normally; the first reason given is the one that counts. */
  void end(String terminationState) {
    if (end == null) {
      end = terminationState;
    }
  }

  /** The termination state: {@code --} unless something else ended it. */
  String terminationState() {
    return end == null ? "--" : end;
  }

  String line(Channel client) {
    long now = System.nanoTime();
    long queueWait = queued < 0 ? 0 : millis((connecting < 0 ? now : connecting) - queued);
    return client.remoteAddress()
        + " -> "
        + client.localAddress()
        + " backend="
        + backend
        + " Tw="
        + queueWait
        + " Tc="
        + (connecting < 0 ? -1 : connected < 0 ? -1 : millis(connected - connecting))
        + " Tt="
        + millis(now - accepted)
        + " in="
        + fromClient
        + " out="
        + toClient
        + " end="
        + terminationState()
        + (id == null ? "" : " id=" + id);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
