package io.shopstack.common.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.NetUtil;
import java.util.Map;

/**
 * The settings of an {@link EpollListener}: those the stack's servers give their listening sockets
 * ({@code SO_BACKLOG}, {@code SO_REUSEADDR}, {@code SO_REUSEPORT}, {@code SO_RCVBUF}) plus Netty's
 * channel settings. As in Netty's listener, {@code SO_REUSEADDR} is on from the start (a restarted
 * server binds beside its old connections in TIME_WAIT) and the backlog is the system's somaxconn.
 *
 * <p>{@code TCP_NODELAY} is set on the listening socket too: Linux copies it to every socket
 * accepted from it, so each client starts with it on, as Netty's client channels do, without a
 * {@code setsockopt} per connection ({@link EpollSocketConfig#inheritedFromListener}).
 */
public final class EpollListenerConfig extends EpollChannelConfig
    implements ServerSocketChannelConfig {
  private volatile int backlog = NetUtil.SOMAXCONN;

  EpollListenerConfig(EpollListener listener) {
    super(listener, new ServerChannelRecvByteBufAllocator());
    setReuseAddress(true);
    write(socket -> socket.setTcpNoDelay(true));
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(
        super.getOptions(),
        ChannelOption.SO_BACKLOG,
        ChannelOption.SO_REUSEADDR,
        ChannelOption.SO_RCVBUF,
        EpollChannelOption.SO_REUSEPORT);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getOption(ChannelOption<T> option) {
    Object value;
    if (option == ChannelOption.SO_BACKLOG) {
      value = getBacklog();
    } else if (option == ChannelOption.SO_REUSEADDR) {
      value = isReuseAddress();
    } else if (option == ChannelOption.SO_RCVBUF) {
      value = getReceiveBufferSize();
    } else if (option == EpollChannelOption.SO_REUSEPORT) {
      value = isReusePort();
    } else {
      return super.getOption(option);
    }
    return (T) value;
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.SO_BACKLOG) {
      setBacklog((Integer) value);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      setReuseAddress((Boolean) value);
    } else if (option == ChannelOption.SO_RCVBUF) {
      setReceiveBufferSize((Integer) value);
    } else if (option == EpollChannelOption.SO_REUSEPORT) {
      setReusePort((Boolean) value);
    } else {
      return super.setOption(option, value);
    }
    return true;
  }

  @Override
  public int getBacklog() {
    return backlog;
  }

  @Override
  public EpollListenerConfig setBacklog(int backlog) {
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must not be negative: " + backlog);
    }
    this.backlog = backlog;
    return this;
  }

  public boolean isReusePort() {
    return read(LinuxSocket::isReusePort);
  }

  /** Several listening sockets on one address, one per I/O thread; set before binding. */
  public EpollListenerConfig setReusePort(boolean reusePort) {
    return write(socket -> socket.setReusePort(reusePort));
  }

  @Override
  public boolean isReuseAddress() {
    return read(LinuxSocket::isReuseAddress);
  }

  @Override
  public EpollListenerConfig setReuseAddress(boolean reuseAddress) {
    return write(socket -> socket.setReuseAddress(reuseAddress));
  }

  @Override
  public int getReceiveBufferSize() {
    return read(LinuxSocket::getReceiveBufferSize);
  }

  @Override
  public EpollListenerConfig setReceiveBufferSize(int receiveBufferSize) {
    return write(socket -> socket.setReceiveBufferSize(receiveBufferSize));
  }

  @Override
  public EpollListenerConfig setPerformancePreferences(
      int connectionTime, int latency, int bandwidth) {
    return this; // a hint TCP on Linux does not use
  }

  @Override
  public EpollListenerConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
    super.setConnectTimeoutMillis(connectTimeoutMillis);
    return this;
  }

  @Override
  @Deprecated
  public EpollListenerConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
    super.setMaxMessagesPerRead(maxMessagesPerRead);
    return this;
  }

  @Override
  public EpollListenerConfig setWriteSpinCount(int writeSpinCount) {
    super.setWriteSpinCount(writeSpinCount);
    return this;
  }

  @Override
  public EpollListenerConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public EpollListenerConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public EpollListenerConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public EpollListenerConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  @Deprecated
  public EpollListenerConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
    super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
    return this;
  }

  @Override
  @Deprecated
  public EpollListenerConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
    super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
    return this;
  }

  @Override
  public EpollListenerConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
    super.setWriteBufferWaterMark(writeBufferWaterMark);
    return this;
  }

  private <T> T read(SocketCalls.Read<T> option) {
    return SocketCalls.read(socket(), option);
  }

  private EpollListenerConfig write(SocketCalls.Write option) {
    SocketCalls.write(socket(), option);
    return this;
  }
}
