package io.shopstack.objectstore.sendfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's socket end point, able to send one region of a file with {@code sendfile(2)}: the bytes
 * go from the page cache to the socket without ever being copied into the process, as nginx sends
 * its files.
 *
 * <p>Jetty's HTTP/1 layer only knows byte buffers, so the region travels through it as a stand-in:
 * a buffer as long as the region (StandIns, see {@link #sendNext}), which Jetty counts against
 * Content-Length and passes down to {@link #flush} untouched. Here that one buffer is recognised by
 * identity and its bytes are sent from the file instead; its position records how much has gone, so
 * Jetty's write-interest handling resumes a partial send like any other. The stand-in's own bytes
 * are never read.
 */
final class SendfileEndPoint extends SocketChannelEndPoint {

  /** The stand-in buffer of the region being sent, its file, and the file offset of byte 0. */
  private volatile Region region;

  /** TCP_CORK is set: from the head of a file response until its last byte is queued. */
  private volatile boolean corked;

  private record Region(ByteBuffer standIn, FileChannel file, long offset) {}

  SendfileEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
    super(channel, selector, key, scheduler);
  }

  /**
   * The next response's {@code standIn} buffer is to be sent from {@code file} at {@code offset}.
   */
  void sendNext(ByteBuffer standIn, FileChannel file, long offset) {
    region = new Region(standIn, file, offset);
  }

  /** The response is over (sent or failed): the region is no longer this end point's. */
  void done(ByteBuffer standIn) {
    Region current = region;
    if (current != null && current.standIn() == standIn) {
      region = null;
      uncork(); // a failed response must not leave the next one's bytes held
    }
  }

  @Override
  public boolean flush(ByteBuffer... buffers) throws IOException {
    Region current = region;
    int at = current == null ? -1 : indexOf(current.standIn(), buffers);
    if (at < 0) {
      return super.flush(buffers);
    }
    if (!corked && current.standIn().hasRemaining()) {
      // the head and the file leave in full segments, as nginx's tcp_nopush sends them
      corked = TcpCork.set(getChannel(), true);
    }
    if (at > 0 && !super.flush(Arrays.copyOfRange(buffers, 0, at))) {
      return false; // the response head is not out yet: the file waits behind it
    }
    if (!transfer(current)) {
      return false;
    }
    uncork(); // all of the file is queued: its last, partial segment goes now
    return at == buffers.length - 1
        || super.flush(Arrays.copyOfRange(buffers, at + 1, buffers.length));
  }

  /** Sends as much of the region as the socket takes now; true once all of it is sent. */
  private boolean transfer(Region current) throws IOException {
    ByteBuffer standIn = current.standIn();
    while (standIn.hasRemaining()) {
      long sent;
      try {
        sent =
            current
                .file()
                .transferTo(
                    current.offset() + standIn.position(), standIn.remaining(), getChannel());
      } catch (IOException e) {
        throw new EofException(e);
      }
      if (sent <= 0) {
        return false; // socket buffer full: Jetty waits for write interest and calls again
      }
      standIn.position(standIn.position() + (int) sent);
      notIdle();
    }
    return true;
  }

  private void uncork() {
    if (corked) {
      corked = false;
      TcpCork.set(getChannel(), false);
    }
  }

  private static int indexOf(ByteBuffer standIn, ByteBuffer[] buffers) {
    for (int i = 0; i < buffers.length; i++) {
      if (buffers[i] == standIn) {
        return i;
      }
    }
    return -1;
  }
}
