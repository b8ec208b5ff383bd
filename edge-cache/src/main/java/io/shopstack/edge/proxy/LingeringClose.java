package io.shopstack.edge.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close, for an error answered while the client is still sending (a 413 during an
 * upload, a 408 to a head still trickling in): closing at once would make the client's next bytes
 * meet a closed socket, the kernel would answer them with a reset, and a reset destroys the error
 * answer still unread in the client's receive buffer. So the answer is followed by our FIN only,
 * whatever the client sends meanwhile is read and discarded by the caller, and the connection
 * closes after a moment.
 */
final class LingeringClose {
  private static final long LINGER_MILLIS = 2000;

  private LingeringClose() {}

  /** Once {@code written} (the error answer) is out: FIN, reading on, close after the linger. */
  static void after(ChannelFuture written) {
    written.addListener(
        f -> {
          if (!(written.channel() instanceof DuplexChannel socket) || !socket.isActive()) {
            written.channel().close();
            return;
          }
          socket.shutdownOutput();
          socket.config().setAutoRead(true);
          socket.eventLoop().schedule(() -> socket.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
  }
}
