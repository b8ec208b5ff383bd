package io.shopstack.common.server;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.LinuxSocket;
import java.io.IOException;

/**
 * A socket option read or written on the socket now, for the stack's epoll channel configs ({@link
 * EpollSocketConfig}, {@link EpollListenerConfig}): no cache, the kernel's value is the one that
 * holds; a failed call is a {@link ChannelException}, as in Netty's own configs.
 */
final class SocketCalls {
  /** An option read from the socket. */
  interface Read<T> {
    T from(LinuxSocket socket) throws IOException;
  }

  /** An option written to the socket. */
  interface Write {
    void to(LinuxSocket socket) throws IOException;
  }

  private SocketCalls() {}

  static <T> T read(LinuxSocket socket, Read<T> option) {
    try {
      return option.from(socket);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  static void write(LinuxSocket socket, Write option) {
    try {
      option.to(socket);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }
}
