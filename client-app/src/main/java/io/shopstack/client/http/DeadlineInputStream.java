package io.shopstack.client.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Bounds the whole response, not each read: a socket timeout alone restarts on every byte, so a
 * server dripping one byte a second would hold the app forever. Before each read the socket timeout
 * is set to what is left until the deadline. Also notes when the first byte arrived.
 */
final class DeadlineInputStream extends FilterInputStream {
  private final Socket socket;
  private final long deadlineNanos;
  private long firstByteNanos;

  DeadlineInputStream(Socket socket, InputStream in, long deadlineNanos) {
    super(in);
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public int read() throws IOException {
    armTimeout();
    int b = super.read();
    noteFirstByte(b >= 0 ? 1 : 0);
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    armTimeout();
    int n = super.read(buffer, offset, length);
    noteFirstByte(n);
    return n;
  }

  /** When the first response byte arrived (System.nanoTime), 0 if none yet. */
  long firstByteNanos() {
    return firstByteNanos;
  }

  private void armTimeout() throws IOException {
    long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (leftMillis <= 0) {
      throw new SocketTimeoutException("response deadline passed");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
  }

  private void noteFirstByte(int count) {
    if (count > 0 && firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
  }
}
