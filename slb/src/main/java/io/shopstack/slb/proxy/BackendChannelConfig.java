package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;

/**
 * The socket settings of a {@link BackendEpollChannel}, read and written on its socket when asked,
 * never ahead: TCP_NODELAY is set when the channel is made (a splice forwards each chunk as it
 * comes, as Netty's own channels do by default), nothing is read. Socket options through {@code
 * setOption} are not taken: the SLB sets what it needs through these methods.
 */
final class BackendChannelConfig extends EpollChannelConfig implements SocketChannelConfig {
  private volatile boolean allowHalfClosure;

  BackendChannelConfig(BackendEpollChannel channel) {
    super(channel);
    setTcpNoDelay(true);
  }

  @Override
  public boolean isTcpNoDelay() {
    try {
      return socket().isTcpNoDelay();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
    try {
      socket().setTcpNoDelay(tcpNoDelay);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public int getSoLinger() {
    try {
      return socket().getSoLinger();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  /**
   * Not taken: a lingering close would block the loop, and Netty's close does not defer it here.
   */
  @Override
  public BackendChannelConfig setSoLinger(int soLinger) {
    throw new UnsupportedOperationException("SO_LINGER is not set on the SLB's backend sockets");
  }

  @Override
  public int getSendBufferSize() {
    try {
      return socket().getSendBufferSize();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setSendBufferSize(int sendBufferSize) {
    try {
      socket().setSendBufferSize(sendBufferSize);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public int getReceiveBufferSize() {
    try {
      return socket().getReceiveBufferSize();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setReceiveBufferSize(int receiveBufferSize) {
    try {
      socket().setReceiveBufferSize(receiveBufferSize);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public boolean isKeepAlive() {
    try {
      return socket().isKeepAlive();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setKeepAlive(boolean keepAlive) {
    try {
      socket().setKeepAlive(keepAlive);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public int getTrafficClass() {
    try {
      return socket().getTrafficClass();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setTrafficClass(int trafficClass) {
    try {
      socket().setTrafficClass(trafficClass);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public boolean isReuseAddress() {
    try {
      return socket().isReuseAddress();
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  @Override
  public BackendChannelConfig setReuseAddress(boolean reuseAddress) {
    try {
      socket().setReuseAddress(reuseAddress);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }

  @Override
  public BackendChannelConfig setPerformancePreferences(
      int connectionTime, int latency, int bandwidth) {
    return this; // as in the JDK's sockets: a hint TCP on Linux does not use
  }

  @Override
  public boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  @Override
  public BackendChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
    this.allowHalfClosure = allowHalfClosure;
    return this;
  }

  @Override
  public BackendChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
    super.setConnectTimeoutMillis(connectTimeoutMillis);
    return this;
  }

  @Override
  @Deprecated
  public BackendChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
    super.setMaxMessagesPerRead(maxMessagesPerRead);
    return this;
  }

  @Override
  public BackendChannelConfig setWriteSpinCount(int writeSpinCount) {
    super.setWriteSpinCount(writeSpinCount);
    return this;
  }

  @Override
  public BackendChannelConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public BackendChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public BackendChannelConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public BackendChannelConfig setAutoClose(boolean autoClose) {
    super.setAutoClose(autoClose);
    return this;
  }

  @Override
  public BackendChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  public BackendChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
    super.setWriteBufferWaterMark(writeBufferWaterMark);
    return this;
  }
}
