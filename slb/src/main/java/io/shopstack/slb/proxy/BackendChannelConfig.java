package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.LinuxSocket;
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
    return read(LinuxSocket::isTcpNoDelay);
  }

  @Override
  public BackendChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
    return write(socket -> socket.setTcpNoDelay(tcpNoDelay));
  }

  @Override
  public int getSoLinger() {
    return read(LinuxSocket::getSoLinger);
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
    return read(LinuxSocket::getSendBufferSize);
  }

  @Override
  public BackendChannelConfig setSendBufferSize(int sendBufferSize) {
    return write(socket -> socket.setSendBufferSize(sendBufferSize));
  }

  @Override
  public int getReceiveBufferSize() {
    return read(LinuxSocket::getReceiveBufferSize);
  }

  @Override
  public BackendChannelConfig setReceiveBufferSize(int receiveBufferSize) {
    return write(socket -> socket.setReceiveBufferSize(receiveBufferSize));
  }

  @Override
  public boolean isKeepAlive() {
    return read(LinuxSocket::isKeepAlive);
  }

  @Override
  public BackendChannelConfig setKeepAlive(boolean keepAlive) {
    return write(socket -> socket.setKeepAlive(keepAlive));
  }

  @Override
  public int getTrafficClass() {
    return read(LinuxSocket::getTrafficClass);
  }

  @Override
  public BackendChannelConfig setTrafficClass(int trafficClass) {
    return write(socket -> socket.setTrafficClass(trafficClass));
  }

  @Override
  public boolean isReuseAddress() {
    return read(LinuxSocket::isReuseAddress);
  }

  @Override
  public BackendChannelConfig setReuseAddress(boolean reuseAddress) {
    return write(socket -> socket.setReuseAddress(reuseAddress));
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

  /** An option read from the socket now (no cache: the kernel's value is the one that holds). */
  private interface SocketRead<T> {
    T from(LinuxSocket socket) throws IOException;
  }

  /** An option written to the socket now. */
  private interface SocketWrite {
    void to(LinuxSocket socket) throws IOException;
  }

  /** As Netty's own configs: a failed socket call is a {@link ChannelException}. */
  private <T> T read(SocketRead<T> option) {
    try {
      return option.from(socket());
    } catch (IOException e) {
      throw new ChannelException(e);
    }
  }

  private BackendChannelConfig write(SocketWrite option) {
    try {
      option.to(socket());
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    return this;
  }
}
