package io.shopstack.common.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The sockets one server instance listens on, each bound with a name for its purpose. */
final class Listeners {
  private final String instance;
  private final List<Channel> channels = new ArrayList<>();

  Listeners(String instance) {
    this.instance = instance;
  }

  Channel bind(String purpose, AbstractBootstrap<?, ?> bootstrap, SocketAddress address)
      throws InterruptedException {
    ChannelFuture bound = bootstrap.bind(address);
    // Tracked before waiting: if the wait is interrupted, the bind may still complete later, and
    // closing must find the channel.
    adopt(bound.channel());
    bound.await();
    if (!bound.isSuccess()) {
      throw new ServerStartException(
          instance
              + ": cannot bind "
              + purpose
              + " on "
              + hostPort(address)
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    return bound.channel();
  }

  Channel register(String purpose, AbstractBootstrap<?, ?> bootstrap) throws InterruptedException {
    ChannelFuture registered = bootstrap.register();
    adopt(registered.channel());
    registered.await();
    if (!registered.isSuccess()) {
      throw new ServerStartException(
          instance + ": cannot take over " + purpose + ": " + registered.cause().getMessage(),
          registered.cause());
    }
    return registered.channel();
  }

  synchronized Channel adopt(Channel channel) {
    // Sockets a running server closed itself (a reload's removed addresses) are let go here.
    channels.removeIf(c -> !c.isOpen());
    channels.add(channel);
    return channel;
  }

  private static String hostPort(SocketAddress socketAddress) {
    if (!(socketAddress instanceof InetSocketAddress address)) {
      return socketAddress.toString();
    }
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** Stops accepting: closes every listening socket, the last bound first. */
  synchronized void close() {
    for (int i = channels.size() - 1; i >= 0; i--) {
      channels.get(i).close().syncUninterruptibly();
    }
    channels.clear();
  }
}
